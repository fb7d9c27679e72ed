import * as tf from '@tensorflow/tfjs';
import { ConfigError, type BatchSource, type SequenceExample, type SequencePair } from '@nnkit/core';
import { epochOrder, positiveInteger } from './batches.js';

/** Every (source, target) pair of the examples: a source with three accepted targets trains on all three. */
export function pairsOf(examples: readonly SequenceExample[]): SequencePair[] {
  return examples.flatMap(({ source, targets }) => targets.map((target) => ({ source, target })));
}

export interface SequencePairOptions {
  /** Pairs per batch. */
  readonly batchSize: number;
  /** The id decoding starts from, put before every target (`<s>`). */
  readonly startId: number;
  /** The id that ends every target (`</s>`). */
  readonly endId: number;
  /** The id of padding (default 0); padded positions are 0 in the masks whatever this is. */
  readonly padId?: number;
  /**
   * Group pairs of similar length into the same batch (default true), so that little of a batch is padding; the
   * batches' order is still shuffled every epoch.
   */
  readonly bucket?: boolean;
  /** Shuffle every epoch, seeded (default true). */
  readonly shuffle?: boolean;
}

/**
 * Sequence pairs as padded, masked batches, for sequence-to-sequence models with teacher forcing:
 *
 *   source       (batch, S) int32   the source ids, right-padded
 *   sourceMask   (batch, S) float32 1 at real positions, 0 at padding
 *   targetInput  (batch, T) int32   startId, y_1 … y_{n}      (what the decoder reads)
 *   targetOutput (batch, T) int32   y_1 … y_{n}, endId        (what it must predict)
 *   targetMask   (batch, T) float32 1 for the n + 1 real steps
 *
 * S and T are the longest source and target (+ 1) in that batch. A loss summed over targetMask and divided by its
 * sum is exact per token, however the pairs are batched.
 */
export function sequencePairBatches(pairs: readonly SequencePair[], options: SequencePairOptions): BatchSource {
  const { batchSize, startId, endId, padId = 0, bucket = true, shuffle = true } = options;
  positiveInteger(batchSize, 'batchSize', 'sequencePairBatches');
  if (pairs.length === 0) throw new ConfigError('sequencePairBatches expects at least one pair, got none.');
  pairs.forEach((pair, i) => {
    if (pair.source.length === 0) throw new ConfigError(`sequencePairBatches expects non-empty sources, got an empty one at pair ${i}.`);
  });
  // With bucketing, batches are runs of the pairs sorted by length: fixed once, only their order is shuffled.
  const sorted = Int32Array.from(pairs.keys());
  if (bucket)
    sorted.sort((a, b) => pairs[a]!.source.length - pairs[b]!.source.length || pairs[a]!.target.length - pairs[b]!.target.length || a - b);
  const batchesPerEpoch = Math.ceil(pairs.length / batchSize);
  const rowsOf = (epoch: number, index: number, seed: number): ArrayLike<number> => {
    if (bucket) {
      const slot = epochOrder(batchesPerEpoch, seed, epoch, shuffle)[index]!;
      return sorted.subarray(slot * batchSize, Math.min(pairs.length, (slot + 1) * batchSize));
    }
    return epochOrder(pairs.length, seed, epoch, shuffle).subarray(index * batchSize, Math.min(pairs.length, (index + 1) * batchSize));
  };
  return {
    batchesPerEpoch,
    unit: 'tok',
    unitsPerEpoch: pairs.reduce((n, pair) => n + pair.target.length + 1, 0),
    batch(epoch, index, seed) {
      const rows = Array.from(rowsOf(epoch, index, seed), (i) => pairs[i]!);
      return padPairs(rows, { startId, endId, padId });
    },
  };
}

/** The padded tensors of one batch of pairs (see sequencePairBatches). */
export function padPairs(rows: readonly SequencePair[], ends: TargetEnds) {
  const S = Math.max(...rows.map((r) => r.source.length));
  const source = new Int32Array(rows.length * S).fill(ends.padId ?? 0);
  const sourceMask = new Float32Array(rows.length * S);
  rows.forEach((row, b) =>
    row.source.forEach((id, t) => {
      source[b * S + t] = id;
      sourceMask[b * S + t] = 1;
    }),
  );
  return {
    source: tf.tensor2d(source, [rows.length, S], 'int32'),
    sourceMask: tf.tensor2d(sourceMask, [rows.length, S]),
    ...padTargets(
      rows.map((row) => row.target),
      ends,
    ),
  };
}

export interface TargetEnds {
  readonly startId: number;
  readonly endId: number;
  readonly padId?: number;
}

/**
 * Targets for teacher forcing, right-padded to the longest + 1: `targetInput` (startId, y_1 … y_n), `targetOutput`
 * (y_1 … y_n, endId) and `targetMask` (1 for the n + 1 real steps). Shared by sequence pairs and captioned images.
 */
export function padTargets(targets: readonly (readonly number[])[], { startId, endId, padId = 0 }: TargetEnds) {
  const T = Math.max(...targets.map((target) => target.length)) + 1;
  const targetInput = new Int32Array(targets.length * T).fill(padId);
  const targetOutput = new Int32Array(targets.length * T).fill(padId);
  const targetMask = new Float32Array(targets.length * T);
  targets.forEach((target, b) => {
    [startId, ...target].forEach((id, t) => {
      targetInput[b * T + t] = id;
      targetOutput[b * T + t] = t < target.length ? target[t]! : endId;
      targetMask[b * T + t] = 1;
    });
  });
  const n = targets.length;
  return {
    targetInput: tf.tensor2d(targetInput, [n, T], 'int32'),
    targetOutput: tf.tensor2d(targetOutput, [n, T], 'int32'),
    targetMask: tf.tensor2d(targetMask, [n, T]),
  };
}
