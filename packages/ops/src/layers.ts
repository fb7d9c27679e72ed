// Small building blocks that models written directly on tfjs ops share (the translator, the captioner): zero biases,
// dense maps over any rank, dropout that is the identity outside training. Initial weights are initializers.ts'.
import * as tf from '@tensorflow/tfjs';
import { trainableVariable } from './variables.js';

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
  const flat = x.rank === 2 ? (x as tf.Tensor2D) : (tf.reshape(x, [-1, inner]) as tf.Tensor2D);
  const product = tf.matMul(flat, kernel as tf.Tensor2D);
  const shifted = bias ? tf.add(product, bias) : product;
  return x.rank === 2 ? shifted : tf.reshape(shifted, [...x.shape.slice(0, -1), kernel.shape[1]!]);
}
