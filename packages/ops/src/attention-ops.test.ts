import * as tf from '@tensorflow/tfjs';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { expect, it } from 'vitest';
import { additiveScores, attendValues } from './attention-ops.js';

const [batch, positions, querySize, size, valueSize] = [4, 5, 4, 6, 7];
// Rows with 5, 2, 4 and no real positions.
const MASK = [
  [1, 1, 1, 1, 1],
  [1, 1, 0, 0, 0],
  [1, 1, 1, 1, 0],
  [0, 0, 0, 0, 0],
];

/** The same scores as plain tfjs ops, differentiated by autodiff. */
const plainScores = (q: tf.Tensor, k: tf.Tensor, w: tf.Tensor, v: tf.Tensor) =>
  tf.reshape(
    tf.matMul(
      tf.reshape(tf.tanh(tf.add(k, tf.expandDims(tf.matMul(q as tf.Tensor2D, w as tf.Tensor2D), 1))), [-1, size]),
      v as tf.Tensor2D,
    ),
    [batch, positions],
  );

/** The same read as plain tfjs ops: softmax where the mask is 1, then the weighted mean of the values. */
function plainRead(scores: tf.Tensor, values: tf.Tensor, mask?: tf.Tensor) {
  const weights = mask
    ? tf.mul(tf.softmax(tf.where(tf.cast(mask, 'bool'), scores, tf.fill(scores.shape, -1e9))), mask)
    : tf.softmax(scores);
  return { weights, context: tf.squeeze(tf.matMul(tf.expandDims(weights, 1), values as tf.Tensor3D), [1]) };
}

describeEachBackend('attention ops', () => {
  it("additiveScores gives autodiff's values and gradients for the query, keys and both kernels, leaving no tensor behind", async () => {
    const inputs = [
      tf.randomNormal([batch, querySize], 0, 1, 'float32', 1),
      tf.randomNormal([batch, positions, size], 0, 1, 'float32', 2),
      tf.randomNormal([querySize, size], 0, 0.5, 'float32', 3),
      tf.randomNormal([size, 1], 0, 0.5, 'float32', 4),
    ];
    const weighting = tf.randomNormal([batch, positions], 0, 1, 'float32', 5); // each score counts differently
    const lossOf =
      (scores: (...t: tf.Tensor[]) => tf.Tensor) =>
      (...t: tf.Tensor[]) =>
        tf.sum(tf.mul(tf.sin(scores(...t)), weighting));
    const written = (q: tf.Tensor, k: tf.Tensor, w: tf.Tensor, v: tf.Tensor) =>
      additiveScores(q as tf.Tensor2D, k as tf.Tensor3D, w as tf.Tensor2D, v as tf.Tensor2D);
    const before = tf.memory().numTensors;
    const [fast, slow] = [written, plainScores].map((f) =>
      tf.tidy(() => [f(...(inputs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])), ...tf.grads(lossOf(f))(inputs)]),
    );
    for (const [i, t] of fast!.entries()) expectClose(await t.data(), await slow![i]!.data(), { rtol: 1e-4, atol: 1e-5 });
    tf.dispose([...fast!, ...slow!]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...inputs, weighting]);
  });

  for (const masked of [true, false]) {
    it(`attendValues gives autodiff's weights, context and gradients${masked ? ' with a mask, exactly 0 at padding' : ' without a mask'}, leaving no tensor behind`, async () => {
      const scores = tf.randomNormal([batch, positions], 0, 2, 'float32', 6);
      const values = tf.randomNormal([batch, positions, valueSize], 0, 1, 'float32', 7);
      const mask = masked ? tf.tensor2d(MASK) : undefined;
      // A loss that reads both the weights and the context.
      const weightsWeighting = tf.randomNormal([batch, positions], 0, 1, 'float32', 8);
      const lossOf = (read: typeof plainRead) => (s: tf.Tensor, v: tf.Tensor) => {
        const { weights, context } = read(s, v, mask);
        return tf.add(tf.sum(tf.mul(weights, weightsWeighting)), tf.sum(tf.square(context)));
      };
      const written = (s: tf.Tensor, v: tf.Tensor, m?: tf.Tensor) =>
        attendValues(s as tf.Tensor2D, v as tf.Tensor3D, m as tf.Tensor2D | undefined);
      const before = tf.memory().numTensors;
      const [fast, slow] = [written, plainRead].map((read) =>
        tf.tidy(() => {
          const { weights, context } = read(scores, values, mask);
          return [weights, context, ...tf.grads(lossOf(read))([scores, values])];
        }),
      );
      for (const [i, t] of fast!.entries()) expectClose(await t.data(), await slow![i]!.data(), { rtol: 1e-4, atol: 1e-5 });
      if (masked) {
        const weights = (await fast![0]!.array()) as number[][];
        MASK.forEach((row, b) => row.forEach((real, j) => real || expect(Object.is(weights[b]![j], 0)).toBe(true)));
      }
      tf.dispose([...fast!, ...slow!]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([scores, values, weightsWeighting, ...(mask ? [mask] : [])]);
    });
  }
});
