import * as tf from '@tensorflow/tfjs';
import { DataError, ShapeError } from '@nnkit/core';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { expect, it } from 'vitest';
import { softmaxCrossEntropy, sparseCrossEntropySum, sparseSoftmaxCrossEntropy } from './cross-entropy.js';

describeEachBackend('sparseSoftmaxCrossEntropy, softmaxCrossEntropy and sparseCrossEntropySum', (backend) => {
  const [rows, classes] = [6, 7];
  const logits = () => tf.randomNormal([rows, classes], 0, 3, 'float32', 11) as tf.Tensor2D;
  const labels = [0, 6, 3, 3, 1, 5];
  // A weighting of the rows, so that the upstream gradient is not the same for every row.
  const upstream = tf.tensor1d([1, -2, 0.5, 3, 0, 1.5]);

  it('matches tf.losses.softmaxCrossEntropy on one-hot rows, loss and gradient, and keeps no tensor', async () => {
    const x = logits();
    const ids = tf.tensor1d(labels, 'int32');
    const before = tf.memory().numTensors;
    const ours = tf.valueAndGrad((l: tf.Tensor) => tf.sum(tf.mul(sparseSoftmaxCrossEntropy(l, ids), upstream)))(x);
    const reference = tf.valueAndGrad((l: tf.Tensor) =>
      tf.sum(tf.mul(tf.losses.softmaxCrossEntropy(tf.oneHot(ids, classes), l, undefined, undefined, tf.Reduction.NONE), upstream)),
    )(x);
    expectClose(await ours.value.data(), await reference.value.data(), { rtol: 1e-5, atol: 1e-5 });
    expectClose(await ours.grad.data(), await reference.grad.data(), { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([ours.value, ours.grad, reference.value, reference.grad]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, ids]);
  });

  it('takes float ids as int32 and gives one loss per row', async () => {
    const x = logits();
    const floatIds = tf.tensor1d(labels);
    const loss = sparseSoftmaxCrossEntropy(x, floatIds);
    expect(loss.shape).toEqual([rows]);
    const exact = tf.tidy(() => tf.neg(tf.sum(tf.mul(tf.logSoftmax(x), tf.oneHot(tf.cast(floatIds, 'int32') as tf.Tensor1D, classes)), 1)));
    expectClose(await loss.data(), await exact.data(), { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([x, floatIds, loss, exact]);
  });

  it('refuses logits that are not a matrix and ids that are not one per row, saying which shapes', () => {
    const x = logits();
    expect(() => sparseSoftmaxCrossEntropy(tf.zeros([2, 3, 4]), tf.zeros([2]))).toThrow(ShapeError);
    expect(() => sparseSoftmaxCrossEntropy(x, tf.zeros([rows - 1], 'int32'))).toThrow(/one class id per row, shape \[6\], got shape \[5\]/);
    x.dispose();
  });

  it('softmaxCrossEntropy matches tf.losses.softmaxCrossEntropy on distributions that are not one-hot, loss and gradient', async () => {
    const x = logits();
    const targets = tf.softmax(tf.randomNormal([rows, classes], 0, 1, 'float32', 12));
    const before = tf.memory().numTensors;
    const ours = tf.valueAndGrad((l: tf.Tensor) => tf.sum(tf.mul(softmaxCrossEntropy(l, targets), upstream)))(x);
    const reference = tf.valueAndGrad((l: tf.Tensor) =>
      tf.sum(tf.mul(tf.losses.softmaxCrossEntropy(targets, l, undefined, undefined, tf.Reduction.NONE), upstream)),
    )(x);
    expectClose(await ours.value.data(), await reference.value.data(), { rtol: 1e-5, atol: 1e-5 });
    expectClose(await ours.grad.data(), await reference.grad.data(), { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([ours.value, ours.grad, reference.value, reference.grad]);
    expect(tf.memory().numTensors).toBe(before);
    const ids = tf.tensor1d(labels, 'int32');
    const [fromOneHot, fromIds] = tf.tidy(() => [softmaxCrossEntropy(x, tf.oneHot(ids, classes)), sparseSoftmaxCrossEntropy(x, ids)]); // int32 rows, as tf.oneHot makes them
    expectClose(await fromOneHot!.data(), await fromIds!.data(), { rtol: 1e-6, atol: 1e-6 });
    tf.dispose([ids, fromOneHot!, fromIds!]);
    expect(() => softmaxCrossEntropy(x, tf.zeros([rows, classes + 1]))).toThrow(/labels of the logits' shape \[6,7\], got shape \[6,8\]/);
    tf.dispose([x, targets]);
  });

  it('sparseCrossEntropySum sums over every position of (…, classes) logits, weighted by a mask', async () => {
    const x = tf.randomNormal([2, 3, classes], 0, 2, 'float32', 13);
    const ids = tf.tensor2d(
      [
        [1, 2, 0],
        [6, 0, 0],
      ],
      [2, 3],
      'int32',
    );
    const mask = tf.tensor2d([
      [1, 1, 1],
      [1, 0, 0],
    ]);
    const sum = sparseCrossEntropySum(x, ids, mask);
    const reference = tf.losses.softmaxCrossEntropy(tf.oneHot(ids as tf.Tensor2D, classes), x, mask, undefined, tf.Reduction.SUM);
    expectClose(await sum.data(), await reference.data(), { rtol: 1e-5, atol: 1e-5 });
    expect(() => sparseCrossEntropySum(x, tf.zeros([2, 4], 'int32'))).toThrow(
      /one class id per row of logits \[2,3,7\], shape \[2,3\], got shape \[2,4\]/,
    );
    tf.dispose([x, ids, mask, sum, reference]);
  });

  it.runIf(backend === 'tensorflow')('on the native backend, refuses an id beyond the classes with a DataError that names it', () => {
    const x = logits();
    const ids = tf.tensor1d([1, 2, 3, classes, 0, 0], 'int32');
    const before = tf.memory().numTensors;
    expect(() => sparseSoftmaxCrossEntropy(x, ids)).toThrow(DataError);
    expect(() => sparseSoftmaxCrossEntropy(x, ids)).toThrow(/expects class ids in 0 … 6, got 7/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, ids]);
  });
});
