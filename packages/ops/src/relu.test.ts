import * as tf from '@tensorflow/tfjs';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { expect, it } from 'vitest';
import { relu } from './relu.js';

describeEachBackend('relu', () => {
  it('is tf.relu forward and back, a zero gradient at 0 included, and keeps no tensor', async () => {
    const x = tf.tensor2d([
      [-2, 0, 0.5],
      [3, -0.1, 1e-7],
    ]);
    const upstream = tf.tensor2d([
      [1, 2, 3],
      [-4, 5, -6],
    ]);
    const before = tf.memory().numTensors;
    const ours = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(relu(t), upstream)))(x);
    const reference = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), upstream)))(x);
    expectClose(await ours.value.data(), await reference.value.data(), { rtol: 0, atol: 0 });
    expectClose(await ours.grad.data(), [0, 0, 3, -4, 0, -6], { rtol: 0, atol: 0 });
    tf.dispose([ours.value, ours.grad, reference.value, reference.grad]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, upstream]);
  });
});
