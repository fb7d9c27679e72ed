import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { expectClose } from './testing/close.js';
import { describeEachBackend } from './testing/each-backend.js';
import { useBackend } from './use-backend.js';

/**
 * The computations nnkit's models train with, on every backend that loads here, against tfjs's reference cpu
 * backend. Values are read with `await data()`, the one read every backend supports (webgpu has no dataSync).
 */
function normal(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

/** The gradients of Σ conv2d(x, w)² with respect to x and to w. */
function conv2dGradients(stride: number, pad: 'valid' | 'same', input: tf.Tensor, filter: tf.Tensor): tf.Tensor[] {
  const [dx, dw] = tf.grads((x: tf.Tensor, w: tf.Tensor) =>
    tf
      .conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad)
      .square()
      .sum(),
  )([input, filter]);
  return [dx!, dw!];
}

const CASES: Record<string, () => tf.Tensor[]> = {
  'matMul, plain and transposed': () => [
    tf.matMul(normal([5, 7], 1), normal([7, 3], 2)),
    tf.matMul(normal([7, 5], 1), normal([3, 7], 2), true, true),
  ],
  'conv2d and its gradients, stride 1 valid': () => conv2dGradients(1, 'valid', normal([2, 9, 9, 2], 3), normal([5, 5, 2, 3], 4)),
  'conv2d and its gradients, stride 2 same': () => conv2dGradients(2, 'same', normal([2, 8, 8, 3], 5), normal([3, 3, 3, 4], 6)),
  'max and average pooling gradients': () => [
    tf.grad((x: tf.Tensor) =>
      tf
        .maxPool(x as tf.Tensor4D, 2, 2, 'valid')
        .square()
        .sum(),
    )(normal([2, 6, 6, 3], 7)),
    tf.grad((x: tf.Tensor) =>
      tf
        .avgPool(x as tf.Tensor4D, 2, 2, 'valid')
        .square()
        .sum(),
    )(normal([2, 6, 6, 3], 8)),
  ],
  'embedding (gather) gradient': () => [
    tf.grad((table: tf.Tensor) =>
      tf
        .gather(table, tf.tensor1d([3, 1, 3, 0], 'int32'))
        .square()
        .sum(),
    )(normal([5, 4], 9)),
  ],
  'softmax cross-entropy and its gradient': () => {
    const labels = tf.oneHot(tf.tensor1d([1, 0, 3], 'int32'), 4);
    const logits = normal([3, 4], 10);
    return [tf.losses.softmaxCrossEntropy(labels, logits), tf.grad((l: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, l))(logits)];
  },
  'addN of many tensors (an unrolled network sums a loss per step)': () => [
    tf.addN(Array.from({ length: 9 }, (_, i) => normal([4, 3], 20 + i))),
    tf.grad((x: tf.Tensor) => tf.sum(tf.addN(Array.from({ length: 7 }, (_, i) => tf.mul(x, i + 1)))))(normal([2, 2], 30)),
  ],
  // TensorFlow 2.21's own Round kernel returns zeros for int32; nnkit's kernel for 'tensorflow' keeps integers.
  'round of int32 and float32 (half to even)': () => [
    tf.round(tf.tensor1d([-3, 0, 7, 2147483647], 'int32')),
    tf.round(tf.tensor1d([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49, 3.7])),
  ],
  'recurrent step: sigmoid, tanh and their gradients': () => {
    const step = (h: tf.Tensor) =>
      tf
        .tanh(tf.matMul(h, normal([4, 4], 11)))
        .mul(tf.sigmoid(h))
        .sum();
    return [tf.grad(step)(normal([3, 4], 12))];
  },
};

const reference: Record<string, Float32Array[]> = {};
beforeAll(async () => {
  await useBackend('cpu');
  for (const [name, compute] of Object.entries(CASES)) {
    reference[name] = await Promise.all(tf.tidy(compute).map(async (t) => ((await t.data()) as Float32Array).slice()));
  }
});

describeEachBackend('backend conformance', () => {
  for (const [name, compute] of Object.entries(CASES)) {
    it(`${name} matches cpu and leaves no tensor behind`, async () => {
      const before = tf.memory().numTensors;
      const outputs = tf.tidy(compute);
      const values = await Promise.all(outputs.map((t) => t.data()));
      tf.dispose(outputs);
      expect(tf.memory().numTensors).toBe(before);
      values.forEach((v, i) => expectClose(v as Float32Array, reference[name]![i]!, { rtol: 2e-3, atol: 2e-4 }));
    });
  }
});
