import { ConfigError, field, validateOptions, type ConfigSchema, type DatasetDefinition, type ProgressReporter } from '@nnkit/core';
import { cachePath, defaultCacheDir, isCached, readCached, writeAtomically } from './cache.js';
import { digitWords } from './digit-words.js';
import { espeakSynthesizer, type Synthesizer } from './espeak.js';
import { planSplit, type PlannedUtterance } from './plan.js';
import { VOICE_SPLITS, type VoiceSplit } from './voices.js';

const KEY = 'spoken-digits/utterances';
const SPLITS: readonly VoiceSplit[] = ['train', 'validation', 'test'];
const MOST_UTTERANCES = 1_000_000;

export interface UtterancesOptions {
  /** Training utterances. Default 2,000. */
  readonly train?: number;
  /** Validation utterances, in voices of their own. Default 200. */
  readonly validation?: number;
  /** Test utterances, in voices heard in neither training nor validation. Default 400. */
  readonly test?: number;
  /** What is said, by which voice, how fast and how high. Default 1. */
  readonly seed?: number;
  /** Fewest digits in an utterance. Default 3. */
  readonly minDigits?: number;
  /** Most digits in an utterance. Default 7. */
  readonly maxDigits?: number;
  /** The folder the audio is cached in. Default $NNKIT_CACHE/spoken-digits, else ~/.cache/nnkit/spoken-digits. */
  readonly cacheDir?: string;
}

export const UTTERANCES_OPTIONS: ConfigSchema = {
  train: field.integer({ default: 2_000, min: 1, max: MOST_UTTERANCES, description: 'the number of training utterances' }),
  validation: field.integer({ default: 200, min: 0, max: MOST_UTTERANCES, description: 'the number of validation utterances' }),
  test: field.integer({ default: 400, min: 0, max: MOST_UTTERANCES, description: 'the number of test utterances (held-out voices)' }),
  seed: field.integer({ default: 1, min: 0, description: 'what is said, by which voice, how fast and how high' }),
  minDigits: field.integer({ default: 3, min: 1, max: 20, description: 'the fewest digits in an utterance' }),
  maxDigits: field.integer({ default: 7, min: 1, max: 20, description: 'the most digits in an utterance' }),
  cacheDir: field.string({ description: 'where synthesized audio is cached (default $NNKIT_CACHE or ~/.cache/nnkit, then spoken-digits)' }),
};

/** One utterance: what was said and how, and its WAV file in the cache. */
export interface Utterance extends PlannedUtterance {
  /** The cached WAV file (eSpeak NG's own: 16-bit PCM mono, 22,050 Hz). */
  readonly file: string;
  /** Reads the file: thousands of utterances are not held in memory at once. */
  wav(): Promise<Uint8Array>;
}

/** What `spoken-digits/utterances` loads: datasets/spoken-digits (in @nnkit/datasets) turns it into log-mel features. */
export interface SpokenUtterances {
  readonly kind: 'spoken-utterances';
  readonly train: readonly Utterance[];
  readonly validation: readonly Utterance[];
  readonly test: readonly Utterance[];
  /** The voices each split is spoken in (voices.ts): none in two. */
  readonly voices: Readonly<Record<VoiceSplit, readonly string[]>>;
}

/** The options once the schema has checked them and filled the defaults: only cacheDir may be absent. */
type CheckedOptions = Required<Omit<UtterancesOptions, 'cacheDir'>> & Pick<UtterancesOptions, 'cacheDir'> & Record<string, unknown>;

export interface LoadUtterancesContext {
  /** Reports the synthesis of what is not cached yet. */
  readonly progress?: ProgressReporter;
  /** Default eSpeak NG. */
  readonly synthesize?: Synthesizer;
}

/**
 * Plans each split (plan.ts), synthesizes what the cache lacks with eSpeak NG, writing each file atomically, and gives
 * the utterances with their files. Synthesis runs ≈ 5–7 utterances a second on one core; a second load of the same
 * options synthesizes nothing.
 */
export async function loadUtterances(options: UtterancesOptions = {}, context: LoadUtterancesContext = {}): Promise<SpokenUtterances> {
  const checked = validateOptions(UTTERANCES_OPTIONS, options, `dataset ${KEY}`) as CheckedOptions;
  const { cacheDir = defaultCacheDir(), ...plan } = checked;
  if (plan.minDigits > plan.maxDigits) {
    throw new ConfigError(
      `Dataset ${KEY} expects minDigits ≤ maxDigits, got ${plan.minDigits} > ${plan.maxDigits}. Swap or change them.`,
      'minDigits',
    );
  }
  const { synthesize = espeakSynthesizer, progress } = context;
  const splits = Object.fromEntries(
    SPLITS.map((split) => {
      const planned = planSplit(split, { ...plan, count: plan[split] });
      return [split, planned.map((u) => ({ ...u, file: cachePath(cacheDir, u) }))];
    }),
  ) as Record<VoiceSplit, (PlannedUtterance & { file: string })[]>;
  const missing = new Map<string, PlannedUtterance>();
  for (const u of SPLITS.flatMap((split) => splits[split])) {
    if (!missing.has(u.file) && !(await isCached(u.file))) missing.set(u.file, u);
  }
  if (missing.size > 0) {
    const task = progress?.start('spoken digits: synthesizing with eSpeak NG', { total: missing.size, unit: 'utterances' });
    let done = 0;
    for (const [file, u] of missing) {
      await writeAtomically(
        file,
        await synthesize({ voice: u.voice, wordsPerMinute: u.wordsPerMinute, pitch: u.pitch, text: digitWords(u.digits) }),
      );
      task?.update(++done);
    }
    task?.end();
  }
  const withAudio = (list: (PlannedUtterance & { file: string })[]): Utterance[] =>
    list.map((u) => ({ ...u, wav: () => readCached(u.file) }));
  return {
    kind: 'spoken-utterances',
    train: withAudio(splits.train),
    validation: withAudio(splits.validation),
    test: withAudio(splits.test),
    voices: VOICE_SPLITS,
  };
}

export const utterances: DatasetDefinition<SpokenUtterances> = {
  name: 'utterances',
  description:
    'Spoken digit strings synthesized by eSpeak NG in 112 voices (8 accents × 14 variants), speeds and pitches, cached as WAV; test and validation voices held out',
  options: UTTERANCES_OPTIONS,
  load: async (options, { kit }) => loadUtterances(options as UtterancesOptions, { progress: kit.progress }),
};
