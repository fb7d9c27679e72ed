import * as tf from '@tensorflow/tfjs';
import { ConfigError, END_ID, PAD_ID, START_ID } from '@nnkit/core';
import { decodeBest, type BestOutputs, type DecodeBestOptions, type IncrementalDecoder } from '@nnkit/decoding';

/**
 * Greedy decoding, or beam search with `beam` hypotheses per source (and its length penalty α, fairseq's lenpen); at
 * most `maxLength` target tokens per source, `</s>` included (default 2 × the longest source + 10).
 */
export type TranslateOptions = Partial<Pick<DecodeBestOptions, 'beam' | 'maxLength' | 'lengthPenalty'>>;

/**
 * Per source: the target ids produced (without `<s>` and `</s>`), the model's log-probability of them (`</s>`
 * included when it was produced) and, per produced token, its attention over that source's real positions (the
 * batch's padding cut off; each row sums to 1; empty rows for attention 'none').
 */
export interface Translation extends Omit<BestOutputs, 'attention'> {
  readonly attention: number[][][];
}

type SourceDecoder = IncrementalDecoder<{ source: tf.Tensor2D; sourceMask: tf.Tensor2D }>;

/**
 * Decodes plain id lists, from `<s>` (1) until `</s>` (2) — the ids every SymbolVocabulary fixes — never producing
 * `<pad>` or `<s>`. The sources are batched together, right-padded and masked, so each is decoded as if alone.
 */
export async function translate(
  model: SourceDecoder,
  sourceIds: readonly (readonly number[])[],
  options: TranslateOptions = {},
): Promise<Translation> {
  if (sourceIds.length === 0) return { tokens: [], attention: [], logProbability: [] };
  sourceIds.forEach((ids, i) => {
    if (ids.length === 0)
      throw new ConfigError(
        `translate expects non-empty sources, got an empty one at index ${i}. Leave it out, or encode at least one symbol.`,
      );
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
  return decodeFrom(model, { source, sourceMask }, lengths, { beam, maxLength, lengthPenalty });
}

/**
 * Decodes from `context`, which it frees once the initial state is made, from `<s>` until `</s>`, and cuts each row's
 * attention to that row's `lengths[b]` real positions (source tokens, or encoder steps of speech).
 */
export async function decodeFrom<C>(
  model: IncrementalDecoder<C>,
  context: C & tf.TensorContainerObject,
  lengths: readonly number[],
  { beam, maxLength, lengthPenalty }: TranslateOptions & { readonly maxLength: number },
): Promise<Translation> {
  let state: tf.Tensor[];
  try {
    state = model.initialState(context) as tf.Tensor[];
  } finally {
    tf.dispose(context);
  }
  try {
    const { tokens, logProbability, attention } = await decodeBest(model, state, {
      start: START_ID,
      maxLength,
      endToken: END_ID,
      exclude: [PAD_ID, START_ID],
      beam,
      ...(lengthPenalty !== undefined && { lengthPenalty }),
    });
    return {
      tokens,
      logProbability,
      attention: attention.map((rows, b) => (rows ?? []).map((weights) => weights.slice(0, lengths[b]))),
    };
  } finally {
    tf.dispose(state);
  }
}
