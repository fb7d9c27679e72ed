import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prefixWeights, unstackSteps, zeroState } from './cell-state.js';
import { ShapeError } from '@nnkit/core';

describe('cell helpers', () => {
  beforeAll(() => tf.setBackend('cpu'));

  it('builds the zero state from the declared sizes, and names weights under a prefix', () => {
    const state = zeroState({ stateSizes: [3, 3, 5] }, 2);
    expect(state.map((s) => s.shape)).toEqual([
      [2, 3],
      [2, 3],
      [2, 5],
    ]);
    tf.dispose(state);
    const kernel = tf.variable(tf.zeros([1]));
    expect(Object.keys(prefixWeights('encoder/layer0', { kernel }))).toEqual(['encoder/layer0/kernel']);
    kernel.dispose();
  });

  it('unstacks time steps with a gradient even when there is only one step (tf.unstack fails there)', async () => {
    const v = tf.variable(tf.ones([2, 1, 3]));
    for (const time of [1, 4]) {
      const x = tf.variable(tf.ones([2, time, 3]));
      const { grads } = tf.variableGrads(() => tf.sum(tf.addN(unstackSteps(tf.mul(x, 2)).map((s) => tf.sum(s)))) as tf.Scalar, [x]);
      expect(Array.from(await grads[x.name]!.data()).every((g) => g === 2)).toBe(true);
      tf.dispose([x, ...Object.values(grads)]);
    }
    expect(unstackSteps(v).map((s) => s.shape)).toEqual([[2, 3]]);
    expect(() => unstackSteps(tf.zeros([3]))).toThrow(ShapeError);
    v.dispose();
  });
});
