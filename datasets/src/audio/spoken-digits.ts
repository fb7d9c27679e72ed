import {
  ConfigError,
  PluginError,
  UnknownNameError,
  field,
  mulberry32,
  seededRandom,
  type ConfigSchema,
  type DatasetDefinition,
  type Kit,
  type SymbolVocabulary,
} from '@nnkit/core';
import { readOptions } from '../pairs/options.js';
import { symbolVocabulary } from '../pairs/symbol-vocabulary.js';
import { speechFrontEnd } from './features.js';
import type { LogMelSettings } from './log-mel.js';
import { checkUtterances, UTTERANCE_SPLITS, type SpokenUtterance, type UtteranceSplit } from './utterances.js';

/** The registered dataset that synthesizes the audio: @nnkit/spoken-digits' (GPL-3.0-or-later). */
export const UTTERANCES_DATASET = 'spoken-digits/utterances';

export interface SpokenDigitsOptions {
  /** Training utterances. Default 2,000. */
  readonly train?: number;
  /** Validation utterances (voices of their own). Default 200. */
  readonly validation?: number;
  /** Test utterances (voices never heard in training or validation). Default 400. */
  readonly test?: number;
  /** What is said, by whom and how fast derive from it, and so does the noise. Default 1. */
  readonly seed?: number;
  /** Fewest digits in an utterance. Default 3. */
  readonly minDigits?: number;
  /** Most digits in an utterance. Default 7. */
  readonly maxDigits?: number;
  /** Lowest signal-to-noise ratio of the white noise added, in dB. Default 10. */
  readonly minSnrDb?: number;
  /** Highest, in dB (drawn uniformly between the two per utterance). Default 30. */
  readonly maxSnrDb?: number;
  /** Where the synthesized audio is cached. Default $NNKIT_CACHE/spoken-digits, else ~/.cache/nnkit/spoken-digits. */
  readonly cacheDir?: string;
}

const MOST_UTTERANCES = 1_000_000;

const OPTIONS: ConfigSchema = {
  train: field.integer({ default: 2_000, min: 1, max: MOST_UTTERANCES, description: 'the number of training utterances' }),
  validation: field.integer({ default: 200, min: 0, max: MOST_UTTERANCES, description: 'the number of validation utterances' }),
  test: field.integer({ default: 400, min: 0, max: MOST_UTTERANCES, description: 'the number of test utterances (held-out voices)' }),
  seed: field.integer({ default: 1, min: 0, description: 'what is said, by which voice, how fast, and the noise' }),
  minDigits: field.integer({ default: 3, min: 1, max: 20, description: 'the fewest digits in an utterance' }),
  maxDigits: field.integer({ default: 7, min: 1, max: 20, description: 'the most digits in an utterance' }),
  minSnrDb: field.number({ default: 10, min: -10, max: 100, description: 'the lowest signal-to-noise ratio in dB' }),
  maxSnrDb: field.number({ default: 30, min: -10, max: 100, description: 'the highest signal-to-noise ratio in dB' }),
  cacheDir: field.string({ description: 'where synthesized audio is cached (default $NNKIT_CACHE or ~/.cache/nnkit, then spoken-digits)' }),
};

/**
 * One utterance as features: log-mel frames and what was said. `targets` holds one id list, as a sequence pair's
 * example does (SequenceExample), so that scoring written for sequence pairs reads it unchanged.
 */
export interface SpokenDigitsExample {
  /** (frameCount, featureSize) row-major, normalised per utterance (mean 0, variance 1 in each band). */
  readonly frames: Float32Array;
  readonly frameCount: number;
  /** The digits as ids of the corpus's targetVocabulary, without `<s>` and `</s>`. */
  readonly targets: readonly (readonly number[])[];
  /** The digits as text: '417'. */
  readonly transcript: string;
  readonly voice: string;
  readonly wordsPerMinute: number;
  readonly pitch: number;
  readonly snrDb: number;
}

/** Spoken digit strings as log-mel frames and their transcripts; test voices are never heard in training. */
export interface SpokenDigitsCorpus {
  readonly kind: 'spoken-digits';
  readonly train: readonly SpokenDigitsExample[];
  readonly validation: readonly SpokenDigitsExample[];
  readonly test: readonly SpokenDigitsExample[];
  /** Values per frame: the mel bands (40). */
  readonly featureSize: number;
  /** How the frames were made: 16 kHz, 25 ms windows every 10 ms, HTK mel filters, log with a floor, CMVN. */
  readonly features: LogMelSettings;
  /** '<pad>', '<s>', '</s>', '<unk>', then '0'–'9'. */
  readonly targetVocabulary: SymbolVocabulary;
  /** Digits join back into text with nothing between them. */
  readonly targetSeparator: '';
  /** The voices each split was spoken in: disjoint. */
  readonly voices: Readonly<Record<UtteranceSplit, readonly string[]>>;
}

const DIGITS = [...'0123456789'];

function checkRange(low: number, high: number, lowKey: string, highKey: string): void {
  if (low > high) {
    throw new ConfigError(
      `Dataset datasets/spoken-digits expects ${lowKey} ≤ ${highKey}, got ${low} > ${high}. Swap or change them.`,
      lowKey,
    );
  }
}

/** The audio from the registry, or a refusal that says which plugin gives it and why it is apart. */
async function loadUtterances(kit: Kit, options: Readonly<Record<string, unknown>>) {
  try {
    return checkUtterances(await kit.loadDataset(UTTERANCES_DATASET, options), `Dataset ${UTTERANCES_DATASET}`);
  } catch (error) {
    if (!(error instanceof UnknownNameError)) throw error;
    throw new PluginError(
      `Dataset datasets/spoken-digits expects the dataset '${UTTERANCES_DATASET}' to be registered, got none: it synthesizes the audio with eSpeak NG. ` +
        `Install @nnkit/spoken-digits (GPL-3.0-or-later, because eSpeak NG is) and load it: createKit({ plugins: [datasets(), spokenDigits()] }).`,
      { cause: error },
    );
  }
}

/**
 * Spoken digit strings ("four one seven"), synthesized by eSpeak NG in many voices, speeds and pitches (through the
 * registered `spoken-digits/utterances`), with white noise at a signal-to-noise ratio drawn per utterance from
 * [minSnrDb, maxSnrDb], as 40 log-mel bands every 10 ms at 16 kHz, normalised per utterance. The noise of utterance
 * i of a split derives from the seed, the split and i alone, so the same options give the same features, bit for bit.
 */
export async function loadSpokenDigits(kit: Kit, options: SpokenDigitsOptions = {}): Promise<SpokenDigitsCorpus> {
  const { minSnrDb, maxSnrDb, ...synthesis } = readOptions<Required<Omit<SpokenDigitsOptions, 'cacheDir'>> & SpokenDigitsOptions>(
    'datasets/spoken-digits',
    OPTIONS,
    options,
  );
  checkRange(synthesis.minDigits, synthesis.maxDigits, 'minDigits', 'maxDigits');
  checkRange(minSnrDb, maxSnrDb, 'minSnrDb', 'maxSnrDb');
  const utterances = await loadUtterances(kit, synthesis);
  const frontEnd = speechFrontEnd();
  const targetVocabulary = symbolVocabulary(DIGITS);
  const total = UTTERANCE_SPLITS.reduce((sum, split) => sum + utterances[split].length, 0);
  const progress = kit.progress.start('spoken digits: log-mel features', { total, unit: 'utterances' });
  let done = 0;
  const featuresOf = async (utterance: SpokenUtterance, split: UtteranceSplit, index: number): Promise<SpokenDigitsExample> => {
    const random = mulberry32(seededRandom(synthesis.seed).derive(`spoken-digits/noise/${split}/${index}`));
    const snrDb = minSnrDb + random() * (maxSnrDb - minSnrDb);
    const { frames, values } = frontEnd.features(await utterance.wav(), utterance.file, { noise: { snrDb, random } });
    progress.update(++done);
    const { digits, voice, wordsPerMinute, pitch } = utterance;
    return {
      frames: values,
      frameCount: frames,
      targets: [targetVocabulary.encode([...digits])],
      transcript: digits,
      voice,
      wordsPerMinute,
      pitch,
      snrDb,
    };
  };
  const splits: Partial<Record<UtteranceSplit, SpokenDigitsExample[]>> = {};
  for (const split of UTTERANCE_SPLITS) {
    const examples: SpokenDigitsExample[] = [];
    for (const [index, utterance] of utterances[split].entries()) examples.push(await featuresOf(utterance, split, index));
    splits[split] = examples;
  }
  progress.end();
  return {
    kind: 'spoken-digits',
    train: splits.train!,
    validation: splits.validation!,
    test: splits.test!,
    featureSize: frontEnd.settings.bands,
    features: frontEnd.settings,
    targetVocabulary,
    targetSeparator: '',
    voices: utterances.voices,
  };
}

export const spokenDigits: DatasetDefinition<SpokenDigitsCorpus> = {
  name: 'spoken-digits',
  description:
    'Spoken digit strings synthesized by eSpeak NG (needs @nnkit/spoken-digits, GPL) in many voices, speeds and pitches, with noise: 40 log-mel bands every 10 ms → digits; test voices unheard in training',
  options: OPTIONS,
  load: async (options, { kit }) => loadSpokenDigits(kit, options as SpokenDigitsOptions),
};
