import * as tf from '@tensorflow/tfjs';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { expect, it } from 'vitest';
import { clipGradient } from './clip-gradient.js';
import { stopGradient, truncateGradient } from './stop-gradient.js';

describeEachBackend('clipGradient and stopGradient', () => {
  const x = () => tf.tensor1d([1, -2, 3]);
  // d/dx Σ c·x = c: an upstream gradient we choose.
  const upstream = tf.tensor1d([3, 4, 12]); // ‖·‖ = 13
  const gradientThrough = (op: (t: tf.Tensor) => tf.Tensor) => {
    const input = x();
    const gradient = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(op(t), upstream)))(input);
    input.dispose();
    return gradient;
  };

  it('clipGradient is the identity forward', async () => {
    const before = tf.memory().numTensors;
    const input = x();
    const out = clipGradient(input, { norm: 1 });
    expectClose(await out.data(), [1, -2, 3], { rtol: 0, atol: 0 });
    tf.dispose([input, out]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('clipGradient({ norm }) scales the gradient down to that norm', async () => {
    const g = gradientThrough((t) => clipGradient(t, { norm: 6.5 }));
    expectClose(await g.data(), [1.5, 2, 6]);
    g.dispose();
    const unclipped = gradientThrough((t) => clipGradient(t, { norm: 100 }));
    expectClose(await unclipped.data(), [3, 4, 12]);
    unclipped.dispose();
  });

  it('clipGradient({ value }) clips each element of the gradient', async () => {
    const g = gradientThrough((t) => clipGradient(t, { value: 3.5 }));
    expectClose(await g.data(), [3, 3.5, 3.5]);
    g.dispose();
  });

  it('refuses a bound that is not positive', () => {
    const input = x();
    expect(() => clipGradient(input, { value: -1 })).toThrow(/positive finite number/);
    input.dispose();
  });

  it('stopGradient is the identity forward with a zero gradient', async () => {
    const before = tf.memory().numTensors;
    const input = x();
    const out = stopGradient(input);
    expectClose(await out.data(), [1, -2, 3], { rtol: 0, atol: 0 });
    const g = gradientThrough((t) => tf.add(stopGradient(t), tf.mul(t, 2)));
    expectClose(await g.data(), [6, 8, 24]); // only the path that does not pass through stopGradient
    tf.dispose([input, out, g]);
    expect(tf.memory().numTensors).toBe(before);
    expect(truncateGradient).toBe(stopGradient);
  });
});
