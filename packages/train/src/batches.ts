import * as tf from '@tensorflow/tfjs';
import { mulberry32, type Examples } from '@nnkit/core';

/**
 * The order of examples in one epoch: a Fisher–Yates shuffle seeded by (seed, epoch), so that a resumed run
 * visits the same examples in the same order as one never interrupted.
 */
export function epochOrder(examples: number, seed: number, epoch: number, shuffle: boolean): Int32Array {
  const order = Int32Array.from({ length: examples }, (_, i) => i);
  if (!shuffle) return order;
  const random = mulberry32((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
  for (let i = examples - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

export function batchCount(examples: number, batchSize: number): number {
  return Math.ceil(examples / batchSize);
}

/** Batch `index` of an epoch: the rows of `data` that `order` puts there (the last batch may be smaller). */
export function gatherBatch(data: Examples, order: Int32Array, index: number, batchSize: number): Examples {
  const rows = order.subarray(index * batchSize, Math.min(order.length, (index + 1) * batchSize));
  return tf.tidy(() => {
    const indices = tf.tensor1d(rows, 'int32');
    return { xs: tf.gather(data.xs, indices), ys: tf.gather(data.ys, indices) };
  });
}

/** Consecutive batches without shuffling, for evaluation. */
export function* inOrder(data: Examples, batchSize: number): Generator<Examples> {
  const n = data.xs.shape[0]!;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    yield tf.tidy(() => ({ xs: tf.slice(data.xs, start, size), ys: tf.slice(data.ys, start, size) }));
  }
}
