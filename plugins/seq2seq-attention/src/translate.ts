import * as tf from '@tensorflow/tfjs';
import { ConfigError, END_ID, PAD_ID, START_ID } from '@nnkit/core';
import { decodeBest, type IncrementalDecoder } from '@nnkit/decoding';

export interface TranslateOptions {
  /** Beam width: beam search (core's beamSearch) keeps this many hypotheses per source. Default: greedy decoding. */
  readonly beam?: number;
  /** Most target tokens per source, `</s>` included. Default 2 × the longest source + 10. */
  readonly maxLength?: number;
  /** Beam search's α in score = log P / length^α (fairseq's lenpen). Default 1. Ignored by greedy decoding. */
  readonly lengthPenalty?: number;
}

export interface Translation {
  /** Per source, the target ids produced, without `<s>` and `</s>`. */
  readonly tokens: number[][];
  /**
   * Per source, per produced token, its attention over that source's real positions (the padding of the batch cut
   * off; each row sums to 1). Empty rows for attention 'none'.
   */
  readonly attention: number[][][];
  /** Per source, the model's log-probability of its output, `</s>` included when it was produced. */
  readonly logProbability: number[];
}

type SourceDecoder = IncrementalDecoder<{ source: tf.Tensor2D; sourceMask: tf.Tensor2D }>;

/**
 * Decodes plain id lists, from `<s>` (1) until `</s>` (2) — the ids every SymbolVocabulary fixes — never producing
 * `<pad>` or `<s>`. The sources are batched together, right-padded and masked, so each is decoded as if alone.
 */
export async function translate(model: SourceDecoder, sourceIds: readonly (readonly number[])[], options: TranslateOptions = {}): Promise<Translation> {
  if (sourceIds.length === 0) return { tokens: [], attention: [], logProbability: [] };
  sourceIds.forEach((ids, i) => {
    if (ids.length === 0) throw new ConfigError(`translate expects non-empty sources, got an empty one at index ${i}. Leave it out, or encode at least one symbol.`);
  });
  const lengths = sourceIds.map((ids) => ids.length);
  const width = Math.max(...lengths);
  const { beam, maxLength = 2 * width + 10, lengthPenalty } = options;
  const ids = new Int32Array(sourceIds.length * width);
  const mask = new Float32Array(sourceIds.length * width);
  sourceIds.forEach((row, b) =>
    row.forEach((id, t) => {
      ids[b * width + t] = id;
      mask[b * width + t] = 1;
    }),
  );
  const source = tf.tensor2d(ids, [sourceIds.length, width], 'int32');
  const sourceMask = tf.tensor2d(mask, [sourceIds.length, width]);
  let state: tf.Tensor[];
  try {
    state = model.initialState({ source, sourceMask }) as tf.Tensor[];
  } finally {
    tf.dispose([source, sourceMask]);
  }
  try {
    const { tokens, logProbability, attention } = await decodeBest(model, state, { start: START_ID, maxLength, endToken: END_ID, exclude: [PAD_ID, START_ID], beam, ...(lengthPenalty !== undefined && { lengthPenalty }) });
    return { tokens, logProbability, attention: attention.map((rows, b) => (rows ?? []).map((weights) => weights.slice(0, lengths[b]))) };
  } finally {
    tf.dispose(state);
  }
}
