import * as tf from '@tensorflow/tfjs';
import type { WeightMap } from '@nnkit/core';
import { glorotUniform } from './initializers.js';
import { dense, dropout, zerosVariable } from './layers.js';

export interface OutputLayer {
  /** `output/kernel` (units, V) and `output/bias` (V). */
  readonly weights: WeightMap;
  /** Logits over the vocabulary for one step (batch, units) or many (batch, T, units); dropout only while training, seeded by `seed`. */
  logits<T extends tf.Tensor>(hidden: T, options?: { readonly training?: boolean; readonly seed?: number }): T;
}

/**
 * A decoder's output layer, logits = W_o dropout(h) + b_o: what its top vector says about the next token (the
 * translator's h̃_t, the captioner's o_t). W_o starts Glorot-uniform from seed('output'), b_o at zero; the weights are
 * named `output/kernel` and `output/bias`, as saved models hold them.
 */
export function createOutputLayer(units: number, vocabularySize: number, rate: number, seed: (label: string) => number): OutputLayer {
  const kernel = glorotUniform(units, vocabularySize, seed('output')); // (units, V)
  const bias = zerosVariable(vocabularySize);
  return {
    weights: { 'output/kernel': kernel, 'output/bias': bias },
    logits: (hidden, { training = false, seed: dropSeed = 0 } = {}) =>
      tf.tidy(() => dense(dropout(hidden, rate, training, dropSeed), kernel, bias)) as typeof hidden,
  };
}
