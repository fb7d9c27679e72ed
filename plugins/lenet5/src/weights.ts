import * as tf from '@tensorflow/tfjs';
import { trainableVariable } from '@nnkit/ops';

/**
 * Uniform initial weights in ±sqrt(k / fanIn): k = 6 is He et al. 2015's for ReLU; k = 3 keeps tanh units in their
 * linear range at the start, close to LeCun et al. 1998's ±2.4/fanIn.
 */
export function uniformWeights(shape: number[], fanIn: number, k: number, seed: number): tf.Variable {
  const limit = Math.sqrt(k / fanIn);
  return trainableVariable(tf.randomUniform(shape, -limit, limit, 'float32', seed));
}

export function zeroBias(size: number): tf.Variable {
  return trainableVariable(tf.zeros([size]));
}
