import * as tf from '@tensorflow/tfjs';
import { describeEachBackend } from '@nnkit/core/testing';
import { expect, it } from 'vitest';
import { checkGradients } from './check-gradients.js';

describeEachBackend('checkGradients', () => {
  it('accepts a correct gradient and leaves no tensor behind', async () => {
    const x = tf.tensor1d([0.5, -1, 2]);
    const before = tf.memory().numTensors;
    const result = await checkGradients((t) => tf.sum(tf.mul(tf.sin(t), t)) as tf.Scalar, [x]);
    expect(result).toMatchObject({ ok: true, checked: 3, mismatches: [] });
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('catches a wrong gradient and says where', async () => {
    const wrong = tf.customGrad((...args) => {
      const t = args[0] as tf.Tensor;
      return { value: tf.sum(tf.square(t)), gradFunc: (dy: tf.Tensor) => tf.mul(dy, t) }; // should be 2t
    });
    const x = tf.tensor1d([1, 2]);
    const result = await checkGradients((t) => wrong(t) as tf.Scalar, [x]);
    expect(result.ok).toBe(false);
    expect(result.mismatches[0]).toMatchObject({ input: 0, index: 0, autodiff: 1 });
    expect(result.mismatches[0]!.numeric).toBeCloseTo(2, 1);
    x.dispose();
  });
});
