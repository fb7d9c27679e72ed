import * as tf from '@tensorflow/tfjs';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { expect, it } from 'vitest';
import { checkGradients } from './check-gradients.js';
import { clipByGlobalNorm } from './clip-by-global-norm.js';
import { globalNorm } from './global-norm.js';

describeEachBackend('clipByGlobalNorm', () => {
  it("clips the slide's hand case: g = (3, 4), threshold 1 → (0.6, 0.8), norm 5", async () => {
    const before = tf.memory().numTensors;
    const g = tf.tensor1d([3, 4]);
    const { clipped, norm } = clipByGlobalNorm([g], 1);
    expectClose(await clipped[0]!.data(), [0.6, 0.8]);
    expectClose(await norm.data(), [5]);
    tf.dispose([g, clipped, norm]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('measures an exploding gradient whose squares overflow float32 (1e20² > 3.4e38), and clips it', async () => {
    const g = [tf.tensor1d([3e20]), tf.tensor2d([[4e20, 0]])];
    const { clipped, norm } = clipByGlobalNorm(g, 1);
    expectClose(await norm.data(), [5e20], { rtol: 1e-5 });
    expectClose(await clipped[0]!.data(), [0.6], { rtol: 1e-5 });
    const measured = globalNorm(g);
    const reused = clipByGlobalNorm(g, 1, measured); // a norm measured already is used, not computed again
    expect(reused.norm).toBe(measured);
    expectClose(await reused.clipped[1]!.data(), [0.8, 0], { rtol: 1e-5 });
    tf.dispose([measured, reused.clipped]);
    const zero = globalNorm([tf.zeros([3])]);
    expect(await zero.data()).toEqual(new Float32Array([0]));
    tf.dispose([g, clipped, norm, zero]);
  });

  it('leaves gradients below the threshold as they are', async () => {
    const g = tf.tensor1d([0.3, 0.4]);
    const { clipped, norm } = clipByGlobalNorm([g], 1);
    expectClose(await clipped[0]!.data(), await g.data(), { rtol: 0, atol: 0 });
    expectClose(await norm.data(), [0.5]);
    tf.dispose([g, clipped, norm]);
  });

  it('takes the norm over all gradients together and keeps a named map a named map', async () => {
    const grads = {
      w: tf.tensor2d([
        [1, 2],
        [2, 0],
      ]),
      b: tf.tensor1d([4]),
    }; // ‖·‖ = sqrt(1+4+4+16) = 5
    const { clipped, norm } = clipByGlobalNorm(grads, 2.5);
    expect(Object.keys(clipped)).toEqual(['w', 'b']);
    expectClose(await clipped.w!.data(), [0.5, 1, 1, 0]);
    expectClose(await clipped.b!.data(), [2]);
    expectClose(await norm.data(), [5]);
    tf.dispose([grads.w, grads.b, clipped.w!, clipped.b!, norm]);
  });

  it('refuses a threshold that is not a positive number', () => {
    const g = tf.tensor1d([1]);
    expect(() => clipByGlobalNorm([g], 0)).toThrow(/positive finite number, got 0/);
    g.dispose();
  });

  it('passes a gradient check (it is differentiable where ‖g‖ ≠ threshold)', async () => {
    const g = tf.tensor1d([0.9, -1.7, 2.2]);
    const weights = tf.tensor1d([1, 2, 3]);
    const f = (x: tf.Tensor) => tf.sum(tf.mul(clipByGlobalNorm([x], 1.5).clipped[0]!, weights)) as tf.Scalar;
    const result = await checkGradients(f, [g]);
    expect(result.mismatches).toEqual([]);
    tf.dispose([g, weights]);
  });
});
