import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@nnkit/core';
import { describeEachBackend } from '@nnkit/core/testing';
import { expect, it } from 'vitest';
import { maskedAccuracy } from './masked-accuracy.js';

describeEachBackend('maskedAccuracy', () => {
  it('counts the real tokens whose argmax is the target, over the real tokens, and keeps no tensor', async () => {
    // Row 0: argmax 1, 0, 2 against targets 1, 2, 2, all real → 2 of 3. Row 1: argmax 0, 0 (a padded step) against 0, 1 → 1 of 1.
    const logits = tf.tensor3d([
      [
        [0, 5, 1],
        [3, 1, 2],
        [0, 0, 9],
      ],
      [
        [7, 1, 1],
        [9, 0, 0],
        [0, 0, 0],
      ],
    ]);
    const targets = tf.tensor2d(
      [
        [1, 2, 2],
        [0, 1, 0],
      ],
      undefined,
      'int32',
    );
    const mask = tf.tensor2d([
      [1, 1, 1],
      [1, 0, 0],
    ]);
    const before = tf.memory().numTensors;
    const { sum, weight } = maskedAccuracy(logits, targets, mask);
    expect(await sum.data()).toEqual(new Float32Array([3]));
    expect(await (weight as tf.Scalar).data()).toEqual(new Float32Array([4]));
    tf.dispose([sum, weight as tf.Scalar]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([logits, targets, mask]);
  });

  it("refuses targets or a mask that are not the logits' (batch, T)", () => {
    const logits = tf.zeros([2, 3, 4]) as tf.Tensor3D;
    const targets = tf.zeros([2, 2], 'int32') as tf.Tensor2D;
    const mask = tf.ones([2, 3]) as tf.Tensor2D;
    expect(() => maskedAccuracy(logits, targets, mask)).toThrow(ShapeError);
    expect(() => maskedAccuracy(logits, targets, mask)).toThrow(
      /expects targets of shape \(2, 3\), the logits' \(batch, T\), got shape \[2,2\]/,
    );
    tf.dispose([logits, targets, mask]);
  });
});
