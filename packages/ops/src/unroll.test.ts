import * as tf from '@tensorflow/tfjs';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { expect, it } from 'vitest';
import { checkGradients } from './check-gradients.js';
import { tanhCell } from './tanh-cell.fixture.js';
import { unroll } from './unroll.js';

const T = 8;
const units = 3;
const batch = 2;
const u = () => tf.randomNormal([2, units], 0, 0.8, 'float32', 1) as tf.Tensor2D;
const w = () => tf.randomNormal([units, units], 0, 0.8, 'float32', 2) as tf.Tensor2D;
const xs = () => tf.randomNormal([batch, T, 2], 0, 1, 'float32', 3) as tf.Tensor3D;

/** ∂E_T/∂s_t for t = 1 … T (at index t − 1), E_T = Σ s_T, with and without truncation. */
async function stateGradients(truncate?: number): Promise<number[][]> {
  const probes = Array.from({ length: T }, () => tf.zeros([batch, units]) as tf.Tensor2D);
  const [U, W, X] = [u(), w(), xs()];
  const loss = (...p: tf.Tensor[]) => {
    const cell = tanhCell(U, W, p as tf.Tensor2D[]);
    const { state } = unroll(cell, X, cell.initialState(batch), truncate === undefined ? {} : { truncate });
    return tf.sum(state[0]!) as tf.Scalar;
  };
  const grads = tf.grads(loss)(probes);
  const values = await Promise.all(grads.map(async (g) => Array.from(await g.data())));
  tf.dispose([...grads, ...probes, U, W, X]);
  return values;
}

describeEachBackend('unroll', () => {
  it('runs the cell over every step and returns each output and the last state, leaving nothing behind', async () => {
    const before = tf.memory().numTensors;
    const [U, W, X] = [u(), w(), xs()];
    const result = tf.tidy(() => {
      const cell = tanhCell(U, W);
      const { outputs, state } = unroll(cell, X, cell.initialState(batch));
      expect(outputs).toHaveLength(T);
      expect(state[0]).toBe(outputs[T - 1]);
      return outputs[T - 1]!;
    });
    expect(result.shape).toEqual([batch, units]);
    tf.dispose([result, U, W, X]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with truncate: k, ∂E_T/∂s_{T−j} is zero for j > k and equal to full BPTT for j ≤ k', async () => {
    const k = 3;
    const full = await stateGradients();
    const truncated = await stateGradients(k);
    // s_{T−j} is at index T − j − 1.
    for (let j = 0; j < T; j++) {
      const index = T - j - 1;
      if (j <= k) {
        expectClose(truncated[index]!, full[index]!);
        expect(full[index]!.some((v) => v !== 0)).toBe(true);
      } else {
        expect(truncated[index]!.every((v) => v === 0)).toBe(true);
      }
    }
  });

  it('back-propagates through time as finite differences say', async () => {
    const [U, W, X] = [u(), w(), xs()];
    const loss = (uu: tf.Tensor, ww: tf.Tensor) => {
      const cell = tanhCell(uu as tf.Tensor2D, ww as tf.Tensor2D);
      const { outputs } = unroll(cell, X, cell.initialState(batch));
      return tf.sum(tf.addN(outputs.map((o) => tf.square(o)))) as tf.Scalar;
    };
    const result = await checkGradients(loss, [U, W]);
    expect(result.mismatches).toEqual([]);
    expect(result.checked).toBe(2 * units + units * units);
    tf.dispose([U, W, X]);
  });

  it('refuses a truncation that is not a positive integer, and inputs of the wrong rank', () => {
    const [U, W] = [u(), w()];
    const cell = tanhCell(U, W);
    const flat = tf.zeros([2, 3]);
    expect(() => unroll(cell, [], [], { truncate: 0 })).toThrow(/integer ≥ 1, got 0/);
    expect(() => unroll(cell, flat as unknown as tf.Tensor3D, [])).toThrow(/\(batch, time, features\)/);
    tf.dispose([U, W, flat]);
  });
});
