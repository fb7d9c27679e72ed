// The lecture's simple RNN cell, s_t = tanh(U x_t + W s_{t−1}), for the ops' own tests. `probes[t − 1]` (zeros)
// is added to the state s_t that step t produces, so that ∂E/∂s_t can be read off as the gradient with respect
// to that probe (the probe sits where s_t is made, before anything unroll does to it).
//
// U (inputSize, units) and W (units, units) are plain tensors the test owns, not variables, so that a test can
// differentiate with respect to them with tf.grads (and checkGradients); `weights` is therefore empty.
import * as tf from '@tensorflow/tfjs';
import type { RecurrentCell } from '@nnkit/core';

export function tanhCell(u: tf.Tensor2D, w: tf.Tensor2D, probes: readonly tf.Tensor2D[] = []): RecurrentCell {
  let t = 0;
  return {
    units: w.shape[0],
    stateSizes: [w.shape[0]],
    weights: {},
    step(x, [s]) {
      const probe = probes[t++];
      const made = tf.tanh(tf.add(tf.matMul(x, u), tf.matMul(s!, w))) as tf.Tensor2D;
      const next = probe ? (tf.add(made, probe) as tf.Tensor2D) : made;
      return { output: next, state: [next] };
    },
  };
}
