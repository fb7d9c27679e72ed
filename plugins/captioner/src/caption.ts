import * as tf from '@tensorflow/tfjs';
import { END_ID, PAD_ID, START_ID } from '@nnkit/core';
import { decodeBest, type BestOutputs, type DecodeBestOptions, type IncrementalDecoder } from '@nnkit/decoding';

/** Greedy decoding, or beam search with `beam` (and its length penalty α); at most `maxLength` words, `</s>` included (default 40). */
export type CaptionOptions = Partial<Pick<DecodeBestOptions, 'beam' | 'maxLength' | 'lengthPenalty'>>;

/**
 * Per image: the word ids produced (without `<s>` and `</s>`), the model's log-probability of them (`</s>` included
 * when it was produced) and, per word, its attention over the grid's positions row by row (empty with attention 'none').
 */
export interface Captions extends Omit<BestOutputs, 'attention'> {
  readonly attention: number[][][];
}

/** Decodes a batch of images from `<s>` until `</s>`, never producing `<pad>` or `<s>`. The images stay the caller's. */
export async function caption(
  model: IncrementalDecoder<{ images: tf.Tensor4D }>,
  images: tf.Tensor4D,
  { maxLength = 40, ...search }: CaptionOptions = {},
): Promise<Captions> {
  const state = model.initialState({ images }) as tf.Tensor[];
  try {
    const best = await decodeBest(model, state, {
      ...search,
      start: START_ID,
      maxLength,
      endToken: END_ID,
      exclude: [PAD_ID, START_ID],
    });
    return { ...best, attention: best.attention.map((rows) => rows ?? []) };
  } finally {
    tf.dispose(state);
  }
}
