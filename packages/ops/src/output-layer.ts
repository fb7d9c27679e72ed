import type * as tf from '@tensorflow/tfjs';
import type { WeightMap } from '@nnkit/core';
import { dense, dropout, glorot, zerosVariable } from '@nnkit/ops';

export interface OutputLayer {
  /** `output/kernel` (units, V) and `output/bias` (V). */
  readonly weights: WeightMap;
  /**
   * logits = W_o dropout(h̃) + b_o over the target vocabulary, for one step (batch, units) or many (batch, T, units).
   * Dropout only while training, seeded by `seed`.
   */
  logits<T extends tf.Tensor>(hidden: T, options?: { readonly training?: boolean; readonly seed?: number }): T;
}

/** The translator's output layer: what the decoder's top vector (h̃ with attention, h without) says about the next token. */
export function createOutputLayer(units: number, vocabularySize: number, rate: number, seed: (label: string) => number): OutputLayer {
  const kernel = glorot(units, vocabularySize, seed('output')); // (units, V)
  const bias = zerosVariable(vocabularySize);
  return {
    weights: { 'output/kernel': kernel, 'output/bias': bias },
    logits: (hidden, { training = false, seed: dropSeed = 0 } = {}) => dense(dropout(hidden, rate, training, dropSeed), kernel, bias) as typeof hidden,
  };
}
