import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, mulberry32, type Batch, type BatchSource, type Examples } from '@nnkit/core';

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

export interface ExampleBatchOptions {
  /** Examples per batch; the last batch of an epoch may be smaller. */
  readonly batchSize: number;
  /** Shuffle every epoch, seeded (default true). */
  readonly shuffle?: boolean;
}

export function positiveInteger(value: number | undefined, name: string, owner: string): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
    throw new ConfigError(`${owner} expects ${name} to be an integer ≥ 1, got ${value}.`, name);
  }
}

/**
 * Fixed-size supervised examples as batches `{ inputs, targets }`: the rows of `xs` and `ys` that the epoch's
 * (seeded) order puts in each batch.
 */
export function exampleBatches(data: Examples, { batchSize, shuffle = true }: ExampleBatchOptions): BatchSource {
  positiveInteger(batchSize, 'batchSize', 'exampleBatches');
  const count = data.xs.shape[0]!;
  if (data.ys.shape[0] !== count) {
    throw new ShapeError(`Training data expects as many targets as inputs, got ${count} inputs and ${data.ys.shape[0]} targets.`);
  }
  let cached: { epoch: number; seed: number; order: Int32Array } | undefined;
  return {
    batchesPerEpoch: Math.ceil(count / batchSize),
    unit: 'ex',
    unitsPerEpoch: count,
    batch(epoch, index, seed) {
      if (cached?.epoch !== epoch || cached.seed !== seed) cached = { epoch, seed, order: epochOrder(count, seed, epoch, shuffle) };
      const rows = cached.order.subarray(index * batchSize, Math.min(count, (index + 1) * batchSize));
      return tf.tidy(() => {
        const indices = tf.tensor1d(rows, 'int32');
        return { inputs: tf.gather(data.xs, indices), targets: tf.gather(data.ys, indices) };
      });
    },
  };
}

/** Every batch of one pass, in order, for evaluation. The caller disposes each batch. */
export function* batchesOf(source: BatchSource): Generator<Batch> {
  for (let index = 0; index < source.batchesPerEpoch; index++) yield source.batch(0, index, 0);
}
