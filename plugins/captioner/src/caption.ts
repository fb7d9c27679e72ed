import * as tf from '@tensorflow/tfjs';
import { decodeBest, type IncrementalDecoder } from '@nnkit/decoding';
import { END, PAD, START } from './config.js';

export interface CaptionOptions {
  /** Beam width: beam search (core's beamSearch) keeps this many hypotheses per image. Default: greedy decoding. */
  readonly beam?: number;
  /** Most words per caption, `</s>` included. Default 40. */
  readonly maxLength?: number;
  /** Beam search's α in score = log P / length^α (fairseq's lenpen). Default 1. */
  readonly lengthPenalty?: number;
}

export interface Captions {
  /** Per image, the word ids produced, without `<s>` and `</s>`. */
  readonly tokens: number[][];
  /** Per image, per word, its attention over the grid's positions (row by row); empty with attention 'none'. */
  readonly attention: number[][][];
  /** Per image, the model's log-probability of its caption, `</s>` included when it was produced. */
  readonly logProbability: number[];
}

/** Decodes a batch of images from `<s>` (1) until `</s>` (2), never producing `<pad>` or `<s>`. The images stay the caller's. */
export async function caption(model: IncrementalDecoder<{ images: tf.Tensor4D }>, images: tf.Tensor4D, options: CaptionOptions = {}): Promise<Captions> {
  const { beam, maxLength = 40, lengthPenalty } = options;
  const state = model.initialState({ images }) as tf.Tensor[];
  try {
    const { tokens, logProbability, attention } = await decodeBest(model, state, { start: START, maxLength, endToken: END, exclude: [PAD, START], beam, ...(lengthPenalty !== undefined && { lengthPenalty }) });
    return { tokens, logProbability, attention: attention.map((rows) => rows ?? []) };
  } finally {
    tf.dispose(state);
  }
}
