// Small building blocks that models written directly on tfjs ops share (the translator, the captioner): seeded
// initializers, dense maps over any rank, dropout that is the identity outside training.
import * as tf from '@tensorflow/tfjs';
import { trainableVariable } from './variables.js';

/** A (rows, columns) kernel, Glorot-uniform (Glorot & Bengio 2010), seeded. */
export function glorot(rows: number, columns: number, seed: number): tf.Variable {
  const limit = Math.sqrt(6 / (rows + columns));
  return trainableVariable(tf.randomUniform([rows, columns], -limit, limit, 'float32', seed));
}

/** A (vocabulary, size) embedding table, uniform in ±0.1 as rnn-lm's. */
export function embeddingTable(vocabularySize: number, size: number, seed: number): tf.Variable {
  return trainableVariable(tf.randomUniform([vocabularySize, size], -0.1, 0.1, 'float32', seed));
}

export function zerosVariable(size: number): tf.Variable {
  return trainableVariable(tf.zeros([size]));
}

/** Dropout while training, seeded (a resumed run drops the same units); the identity otherwise. */
export function dropout<T extends tf.Tensor>(x: T, rate: number, training: boolean, seed: number): T {
  return training && rate > 0 ? (tf.dropout(x, rate, undefined, seed) as T) : x;
}

/** x (…, in) times a (in, out) kernel, for a rank-3 x too: (batch, time, in) → (batch, time, out). */
export function dense(x: tf.Tensor, kernel: tf.Tensor2D | tf.Variable, bias?: tf.Tensor | tf.Variable): tf.Tensor {
  const inner = x.shape[x.rank - 1]!;
  const flat = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, inner]) as tf.Tensor2D;
  const product = tf.matMul(flat, kernel as tf.Tensor2D);
  const shifted = bias ? tf.add(product, bias) : product;
  return x.rank === 2 ? shifted : tf.reshape(shifted, [...x.shape.slice(0, -1), kernel.shape[1]!]);
}
