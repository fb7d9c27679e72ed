import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@nnkit/core';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { expect, it } from 'vitest';
import { withContext } from './with-context.js';

describeEachBackend('withContext', () => {
  it('is x itself without a context, [x, context] with one, and passes the gradient to both parts', async () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const context = tf.tensor2d([[5], [6]]);
    const before = tf.memory().numTensors;
    expect(withContext('cell', 0, x, undefined)).toBe(x);
    const joined = withContext('cell', 1, x, context);
    expectClose(await joined.data(), [1, 2, 5, 3, 4, 6], { rtol: 0, atol: 0 });
    const weights = tf.tensor2d([
      [1, -1, 2],
      [0.5, 3, -2],
    ]);
    const [dx, dc] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(withContext('cell', 1, a as tf.Tensor2D, b as tf.Tensor2D), weights)),
    )([x, context]);
    expectClose(await dx!.data(), [1, -1, 0.5, 3], { rtol: 0, atol: 0 });
    expectClose(await dc!.data(), [2, -2], { rtol: 0, atol: 0 });
    tf.dispose([joined, weights, dx!, dc!]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, context]);
  });

  it('refuses a context the cell was not made for, a missing one and one of the wrong shape, naming the cell and the fix', () => {
    const x = tf.zeros([2, 3]) as tf.Tensor2D;
    const context = tf.zeros([2, 4]) as tf.Tensor2D;
    expect(() => withContext("lstm/lstm cell 'decoder'", 0, x, context)).toThrow(ShapeError);
    expect(() => withContext("lstm/lstm cell 'decoder'", 0, x, context)).toThrow(
      /lstm\/lstm cell 'decoder' expects no context .*contextSize: 4/,
    );
    expect(() => withContext('cell', 4, x, undefined)).toThrow(
      /expects a context of shape \(batch, 4\) at every step .* got none\. Pass step/,
    );
    expect(() => withContext('cell', 5, x, context)).toThrow(/expects a context of shape \(2, 5\), got shape \[2,4\]/);
    tf.dispose([x, context]);
  });
});
