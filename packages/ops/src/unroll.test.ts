import * as tf from '@tensorflow/tfjs';
import { ShapeError, type CellStepOptions, type RecurrentCell } from '@nnkit/core';
import { zeroState } from './cell-state.js';
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
    const { state } = unroll(cell, X, zeroState(cell, batch), truncate === undefined ? {} : { truncate });
    return tf.sum(state[0]!) as tf.Scalar;
  };
  const grads = tf.grads(loss)(probes);
  const values = await Promise.all(grads.map(async (g) => Array.from(await g.data())));
  tf.dispose([...grads, ...probes, U, W, X]);
  return values;
}

// A padded batch: rows of 6, 4 and 1 real steps, right-padded to 6 with random values (not zeros), so that only
// the mask can make the padding harmless.
const lengths = [6, 4, 1];
// `extra` more padded steps at the end leave the first 6 steps as they are.
const padded = (extra = 0) =>
  tf.tidy(() => {
    const steps = tf.randomNormal([lengths.length, 6, 2], 0, 1, 'float32', 5);
    return (extra === 0 ? steps : tf.concat([steps, tf.randomNormal([lengths.length, extra, 2], 0, 1, 'float32', 6)], 1)) as tf.Tensor3D;
  });
/** (rows, time): 1 at each row's first `lengths[row]` steps, 0 after. */
const maskOf = (time: number, dtype: 'float32' | 'int32' = 'float32') =>
  tf.tensor2d(
    lengths.flatMap((n) => Array.from({ length: time }, (_, t) => (t < n ? 1 : 0))),
    [lengths.length, time],
    dtype,
  );

describeEachBackend('unroll', () => {
  it('runs the cell over every step and returns each output and the last state, leaving nothing behind', async () => {
    const before = tf.memory().numTensors;
    const [U, W, X] = [u(), w(), xs()];
    const result = tf.tidy(() => {
      const cell = tanhCell(U, W);
      const { outputs, state } = unroll(cell, X, zeroState(cell, batch));
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
      const { outputs } = unroll(cell, X, zeroState(cell, batch));
      return tf.sum(tf.addN(outputs.map((o) => tf.square(o)))) as tf.Scalar;
    };
    const result = await checkGradients(loss, [U, W]);
    expect(result.mismatches).toEqual([]);
    expect(result.checked).toBe(2 * units + units * units);
    tf.dispose([U, W, X]);
  });

  it('with reverse, runs from the last step to the first and returns the outputs in time order', async () => {
    const [U, W, X] = [u(), w(), xs()];
    const cell = tanhCell(U, W);
    const [backward, flipped] = tf.tidy(() => {
      const reversed = unroll(cell, X, zeroState(cell, batch), { reverse: true });
      const forwardOnFlipped = unroll(cell, tf.reverse(X, 1) as tf.Tensor3D, zeroState(cell, batch));
      return [
        tf.stack([...reversed.outputs, reversed.state[0]!]),
        tf.stack([...forwardOnFlipped.outputs.reverse(), forwardOnFlipped.state[0]!]),
      ];
    });
    expectClose(await backward!.data(), await flipped!.data(), { rtol: 0, atol: 1e-6 });
    tf.dispose([backward!, flipped!, U, W, X]);
  });

  for (const reverse of [false, true]) {
    const direction = reverse ? 'reversed' : 'forward';

    it(`${direction}, with a mask: each row's real steps equal the row run alone unpadded, and padded outputs are exactly 0`, async () => {
      // The reversed run takes an int32 mask, the forward one a float32 mask: both are 1 at real steps.
      const [U, W, X, mask] = [u(), w(), padded(), maskOf(6, reverse ? 'int32' : 'float32')];
      const before = tf.memory().numTensors;
      const cell = tanhCell(U, W);
      const initial = zeroState(cell, lengths.length);
      const masked = unroll(cell, X, initial, { mask, reverse });
      for (const [row, length] of lengths.entries()) {
        // (steps, 1, units): the row's outputs in the padded batch and alone, then its padding's outputs.
        const [actual, expected, paddedOutputs] = tf.tidy(() => {
          const alone = unroll(cell, X.slice([row, 0, 0], [1, length, 2]), zeroState(cell, 1), { reverse });
          const rowOf = (t: tf.Tensor2D) => t.slice([row, 0], [1, -1]);
          return [
            tf.stack([...masked.outputs.slice(0, length).map(rowOf), rowOf(masked.state[0]!)]),
            tf.stack([...alone.outputs, alone.state[0]!]),
            tf.stack([tf.zeros([1, units]), ...masked.outputs.slice(length).map(rowOf)]),
          ];
        });
        expectClose(await actual!.data(), await expected!.data(), { rtol: 0, atol: 1e-6 });
        const padding = Array.from(await paddedOutputs!.data());
        expect(padding).toHaveLength((1 + 6 - length) * units);
        expect(padding.every((v) => Object.is(v, 0))).toBe(true);
        tf.dispose([actual!, expected!, paddedOutputs!]);
      }
      tf.dispose([...masked.outputs, ...masked.state, ...initial]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([U, W, X, mask]);
    });

    it(`${direction}, with a mask: more padding changes neither the final state, the real outputs, nor the gradient`, async () => {
      const [U, W] = [u(), w()];
      const run = async (extra: number) => {
        const [X, mask] = [padded(extra), maskOf(6 + extra)];
        // E = Σ_t ‖o_t‖² over the real steps (the padded outputs are 0, so summing them all is the same).
        const forward = (uu: tf.Tensor, ww: tf.Tensor) => {
          const cell = tanhCell(uu as tf.Tensor2D, ww as tf.Tensor2D);
          return unroll(cell, X, zeroState(cell, lengths.length), { mask, reverse });
        };
        const loss = (uu: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.addN(forward(uu, ww).outputs.map((o) => tf.square(o)))) as tf.Scalar;
        const grads = tf.grads(loss)([U, W]);
        const [real, state] = tf.tidy(() => {
          const unrolled = forward(U, W);
          return [tf.stack(unrolled.outputs.slice(0, 6)), unrolled.state[0]!];
        });
        const values = {
          real: await real!.data(),
          state: await state!.data(),
          gradients: await Promise.all(grads.map((g) => g.data())),
        };
        tf.dispose([...grads, real!, state!, X, mask]);
        return values;
      };
      const short = await run(0);
      const long = await run(5);
      expectClose(long.state, short.state, { rtol: 0, atol: 1e-6 });
      expectClose(long.real, short.real, { rtol: 0, atol: 1e-6 });
      short.gradients.forEach((g, i) => {
        expect(Array.from(g).some((v) => v !== 0)).toBe(true);
        expectClose(long.gradients[i]!, g, { rtol: 0, atol: 1e-5 });
      });
      tf.dispose([U, W]);
    });
  }

  it('back-propagates through a masked unroll, forward and reversed, as finite differences say', async () => {
    const [U, W, X, mask] = [u(), w(), padded(), maskOf(6)];
    const loss = (uu: tf.Tensor, ww: tf.Tensor) => {
      const cell = tanhCell(uu as tf.Tensor2D, ww as tf.Tensor2D);
      const terms = [false, true].flatMap((reverse) => {
        const { outputs, state } = unroll(cell, X, zeroState(cell, lengths.length), { mask, reverse });
        return [...outputs.map((o) => tf.sum(tf.square(o))), tf.sum(state[0]!)];
      });
      return tf.addN(terms) as tf.Scalar;
    };
    const result = await checkGradients(loss, [U, W]);
    expect(result.mismatches).toEqual([]);
    tf.dispose([U, W, X, mask]);
  });

  it('frees its intermediate tensors: with a mask and reversed, only the outputs and the state are left', () => {
    const [U, W, X, mask] = [u(), w(), padded(), maskOf(6)];
    const cell = tanhCell(U, W);
    const initial = zeroState(cell, lengths.length);
    const before = tf.memory().numTensors;
    const { outputs, state } = unroll(cell, X, initial, { mask, reverse: true });
    expect(tf.memory().numTensors).toBe(before + outputs.length + state.length);
    tf.dispose([...outputs, ...state]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([U, W, X, mask, ...initial]);
  });

  it('passes training, a per-step seed (seed + position) and the context to every step', () => {
    const [U, W, X] = [u(), w(), xs()];
    const inner = tanhCell(U, W);
    const seen: CellStepOptions[] = [];
    const spy: RecurrentCell = { ...inner, step: (x, s, options) => (seen.push(options!), inner.step(x, s, options)) };
    const context = tf.ones([batch, 4]) as tf.Tensor2D;
    tf.tidy(() => void unroll(spy, X, zeroState(spy, batch), { training: true, seed: 100, context, reverse: true }));
    expect(seen.map((o) => o.seed)).toEqual([107, 106, 105, 104, 103, 102, 101, 100]);
    expect(seen.every((o) => o.training === true && o.context === context)).toBe(true);
    tf.dispose([U, W, X, context]);
  });

  it('refuses a truncation that is not a positive integer, inputs of the wrong rank, and a mask of the wrong shape', () => {
    const [U, W, X] = [u(), w(), xs()];
    const cell = tanhCell(U, W);
    const flat = tf.zeros([2, 3]);
    expect(() => unroll(cell, [], [], { truncate: 0 })).toThrow(/integer ≥ 1, got 0/);
    expect(() => unroll(cell, flat as unknown as tf.Tensor3D, [])).toThrow(/\(batch, time, features\)/);
    const masks = [tf.ones([batch, T + 1]), tf.ones([batch + 1, T]), tf.ones([T]), tf.ones([batch, T, 1])];
    for (const mask of masks) {
      expect(() => unroll(cell, X, zeroState(cell, batch), { mask: mask as tf.Tensor2D })).toThrow(ShapeError);
    }
    expect(() => unroll(cell, X, zeroState(cell, batch), { mask: masks[0] as tf.Tensor2D })).toThrow(
      /mask of shape \(batch, time\) = \(2, 8\), got shape \[2,9\]/,
    );
    tf.dispose([U, W, X, flat, ...masks]);
  });
});
