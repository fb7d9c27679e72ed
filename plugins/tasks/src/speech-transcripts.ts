import { DataError, type SymbolVocabulary, type TaskDefinition, type TrainableModel } from '@nnkit/core';
import { scoreSequences, splitOf } from '@nnkit/train';
import { batchSizeFor } from './batch-size.js';
import { corpusDecides } from './corpus-decides.js';
import { speechBatches, type TranscribedUtterance } from './speech-batches.js';
import { splitsWhere } from './splits.js';

/**
 * Utterances as feature frames with their transcripts (`datasets/spoken-digits`: 40 log-mel bands every 10 ms → digit
 * strings). Any dataset whose corpus has this shape is this task's, whatever its `kind`.
 */
export interface TranscribedSpeechCorpus {
  readonly train: readonly TranscribedUtterance[];
  readonly validation: readonly TranscribedUtterance[];
  readonly test: readonly TranscribedUtterance[];
  /** Values per frame. */
  readonly featureSize: number;
  /** How a recording became frames (sample rate, window, hop, bands): saved with a model for `nnkit transcribe`. */
  readonly features: object;
  readonly targetVocabulary: SymbolVocabulary;
  /** How target tokens join into text: '' for characters and digits. */
  readonly targetSeparator: string;
}

export interface TranscribeOptions {
  readonly beam?: number;
  readonly maxLength?: number;
}

/** What the task calls on a speech recognizer: frames in, token ids (and attention over its encoder's steps) out. */
export interface SpeechRecognizer extends TrainableModel {
  /** Each utterance (frameCount × featureSize values, row-major) decoded from `<s>` until `</s>`. */
  transcribe(utterances: readonly Float32Array[], options?: TranscribeOptions): Promise<{ tokens: number[][]; attention?: number[][][] }>;
}

const isUtterance = (u: unknown) =>
  (u as TranscribedUtterance).frames instanceof Float32Array && Array.isArray((u as TranscribedUtterance).targets);

export function isTranscribedSpeechCorpus(data: unknown): data is TranscribedSpeechCorpus {
  const corpus = data as TranscribedSpeechCorpus | undefined;
  return (
    typeof corpus?.featureSize === 'number' &&
    typeof corpus.targetVocabulary?.decode === 'function' &&
    (['train', 'validation', 'test'] as const).every(
      (split) => Array.isArray(corpus[split]) && corpus[split].slice(0, 1).every(isUtterance),
    )
  );
}

export function isSpeechRecognizer(model: unknown): model is SpeechRecognizer {
  return typeof (model as SpeechRecognizer | undefined)?.transcribe === 'function';
}

/** Utterances decoded at once: enough to fill the encoder's batch, few enough to keep beam search's state small. */
const DECODE_BATCH = 64;

/**
 * Exact match and character (token) error rate of a recognizer's greedy or beam transcripts of `utterances`, each
 * against the closest of its accepted transcripts; the outputs and attention go to `outputs` where given.
 */
export async function scoreTranscripts(
  model: SpeechRecognizer,
  utterances: readonly TranscribedUtterance[],
  { beam = 1, outputs }: { beam?: number; outputs?: { readonly outputs: number[][]; readonly attention: number[][][] } } = {},
): Promise<{ exact_match: number; character_error_rate: number }> {
  const hypotheses: number[][] = [];
  for (let start = 0; start < utterances.length; start += DECODE_BATCH) {
    const batch = utterances.slice(start, start + DECODE_BATCH);
    const longest = Math.max(...batch.flatMap((u) => u.targets.map((t) => t.length)));
    const result = await model.transcribe(
      batch.map((u) => u.frames),
      { ...(beam > 1 && { beam }), maxLength: 2 * longest + 10 },
    );
    hypotheses.push(...result.tokens);
    outputs?.outputs.push(...result.tokens);
    outputs?.attention.push(...(result.attention ?? result.tokens.map(() => [])));
  }
  const scores = scoreSequences(
    hypotheses,
    utterances.map((u) => u.targets),
  );
  // For digit strings and letters the token error rate is the character error rate speech recognition reports.
  return { exact_match: scores.exactMatch, character_error_rate: scores.tokenErrorRate };
}

/**
 * Speech with its transcripts (spoken digit strings): utterances sorted by length into padded, masked batches of
 * frames with targets for teacher forcing, per-token loss; a model is scored by transcribing each utterance (greedy
 * or beam search): exact match and character error rate. The corpus decides `featureSize` and `targetVocabularySize`,
 * and a saved model keeps the corpus's feature settings so that a new recording is read the same way.
 */
export const speechTranscripts: TaskDefinition<TranscribedSpeechCorpus, SpeechRecognizer> = {
  name: 'speech-transcripts',
  description:
    'speech as feature frames and its transcripts (spoken digits): length-sorted padded frames; exact match, character error rate',
  holds: 'transcribed speech (feature frames and what was said)',
  learner: 'a speech recognizer, which transcribes frames into characters',
  decodes: true,
  batchSize: 32,
  accepts: isTranscribedSpeechCorpus,
  fits: isSpeechRecognizer,
  ...corpusDecides((corpus) => [
    { field: 'featureSize', corpus: corpus.featureSize, what: 'values per frame', rule: 'equal' },
    {
      field: 'targetVocabularySize',
      corpus: corpus.targetVocabulary.tokens.length,
      what: 'symbols in its target vocabulary',
      rule: 'atLeast',
    },
  ]),
  trainingData(corpus, { batchSize, dataset = 'the dataset', onNote = () => {} }) {
    if (corpus.train.length === 0)
      throw new DataError(
        `Training expects transcribed utterances from ${dataset}, got none in its train split. Ask the dataset for some: its train option.`,
      );
    if (corpus.validation.length === 0) onNote(`${dataset} has no validation utterances: training without validation loss or scores`);
    const ends = {
      startId: corpus.targetVocabulary.id('<s>'),
      endId: corpus.targetVocabulary.id('</s>'),
      featureSize: corpus.featureSize,
    };
    const size = batchSizeFor(batchSize, corpus.train.length, 'utterances', onNote);
    return {
      train: speechBatches(corpus.train, { batchSize: size, ...ends }),
      ...(corpus.validation.length > 0 && {
        validation: speechBatches(corpus.validation, { batchSize: 64, shuffle: false, ...ends }),
        // Transcribing every validation utterance takes a while: once, when training ends.
        validationScores: (model: SpeechRecognizer) => scoreTranscripts(model, corpus.validation),
      }),
      settings: { batchSize: size },
    };
  },
  async evaluate(model, corpus, split, { beam = 1, limit, outputs }) {
    const utterances = splitOf(speechTranscripts, corpus, split);
    return scoreTranscripts(model, limit === undefined ? utterances : utterances.slice(0, limit), {
      beam,
      ...(outputs && { outputs }),
    });
  },
  splits: (corpus) => splitsWhere((split) => (corpus[split]?.length ?? 0) > 0),
  splitSize: (corpus, split) => ({ count: splitOf(speechTranscripts, corpus, split).length, unit: 'utterances', field: 'examples' }),
  saveExtras: (corpus) => ({
    vocabulary: corpus.targetVocabulary.tokens,
    separator: corpus.targetSeparator,
    features: { ...corpus.features },
  }),
};
