import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, type BatchSource, type CaptionedImages } from '@nnkit/core';
import { epochOrder, positiveInteger } from './batches.js';
import { padTargets, type TargetEnds } from './sequence-pairs.js';

export interface CaptionBatchOptions extends TargetEnds {
  /** Images per batch; the last batch of an epoch may be smaller. */
  readonly batchSize: number;
  /** Shuffle every epoch, seeded (default true). */
  readonly shuffle?: boolean;
}

/**
 * Captioned images as batches for an image-to-sequence model with teacher forcing: a BatchSource whose progress
 * counts images (`img`), each batch
 *
 *   images       (batch, height, width, channels) float32
 *   targetInput  (batch, T) int32    startId, w_1 … w_n, then padId
 *   targetOutput (batch, T) int32    w_1 … w_n, endId, then padId
 *   targetMask   (batch, T) float32  1 for the n + 1 real steps
 *
 * with T the batch's longest caption + 1, as `sequencePairBatches` pads targets (`padTargets`), so a loss summed
 * over targetMask is exact per token however the images are batched. An empty split is refused (a ConfigError).
 */
export function captionBatches(split: CaptionedImages, imageShape: readonly number[], options: CaptionBatchOptions): BatchSource {
  const { batchSize, shuffle = true, ...ends } = options;
  positiveInteger(batchSize, 'batchSize', 'captionBatches');
  const size = imageShape.reduce((a, b) => a * b, 1);
  if (split.count === 0) throw new ConfigError('captionBatches expects at least one captioned image, got none.');
  if (split.pixels.length !== split.count * size || split.captions.length !== split.count) {
    throw new ShapeError(
      `captionBatches expects ${split.count} images of shape [${imageShape}] (${split.count * size} values) and ${split.count} captions, ` +
        `got ${split.pixels.length} values and ${split.captions.length} captions.`,
    );
  }
  let cached: { epoch: number; seed: number; order: Int32Array } | undefined;
  return {
    batchesPerEpoch: Math.ceil(split.count / batchSize),
    unit: 'img',
    unitsPerEpoch: split.count,
    batch(epoch, index, seed) {
      if (cached?.epoch !== epoch || cached.seed !== seed) cached = { epoch, seed, order: epochOrder(split.count, seed, epoch, shuffle) };
      const rows = cached.order.subarray(index * batchSize, Math.min(split.count, (index + 1) * batchSize));
      const pixels = new Float32Array(rows.length * size);
      rows.forEach((row, b) => pixels.set(split.pixels.subarray(row * size, (row + 1) * size), b * size));
      return {
        images: tf.tensor(pixels, [rows.length, ...imageShape]),
        ...padTargets(
          Array.from(rows, (row) => split.captions[row]!),
          ends,
        ),
      };
    },
  };
}
