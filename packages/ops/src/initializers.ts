// nnkit's one family of initial weights: every kernel a plugin draws is uniform in ±limit, seeded, and the members
// differ only in how the limit follows from the layer's fans. Each draws exactly what
// `tf.randomUniform(shape, -limit, limit, 'float32', seed)` draws, so weights made before are made again bit for bit.
import * as tf from '@tensorflow/tfjs';
import { trainableVariable } from './variables.js';

/** A trainable variable uniform in ±`limit`, seeded: what every initialiser below draws. */
export function uniformVariable(shape: readonly number[], limit: number, seed: number | undefined): tf.Variable {
  return trainableVariable(tf.randomUniform([...shape], -limit, limit, 'float32', seed));
}

/**
 * Uniform in ±sqrt(k / fanIn), the variance-scaling family: k = 6 is He et al. 2015's for ReLU units; k = 3 keeps
 * tanh units in their linear range at the start (close to LeCun et al. 1998's ±2.4/fanIn) and suits an output layer
 * whose logits have no ReLU after them.
 */
export function fanInUniform(shape: readonly number[], fanIn: number, k: number, seed: number): tf.Variable {
  return uniformVariable(shape, Math.sqrt(k / fanIn), seed);
}

/** A (rows, columns) kernel, Glorot-uniform (Glorot & Bengio 2010): ±sqrt(6 / (fanIn + fanOut)), seeded. */
export function glorotUniform(rows: number, columns: number, seed: number): tf.Variable {
  return uniformVariable([rows, columns], Math.sqrt(6 / (rows + columns)), seed);
}

/** A (vocabulary, size) embedding table, uniform in ±0.1 as rnn-lm's. */
export function embeddingTable(vocabularySize: number, size: number, seed: number): tf.Variable {
  return uniformVariable([vocabularySize, size], 0.1, seed);
}
