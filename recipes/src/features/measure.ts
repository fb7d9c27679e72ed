import * as tf from '@tensorflow/tfjs';
import type { ImageEncoder } from '@nnkit/core';
import { mapShape, unitGradients, type ReceptiveField, type UnitAt } from './maps.js';

/** The rows and columns of the input where a gradient is non-zero, as inclusive ranges (undefined: none). */
export interface Support {
  readonly rows: readonly [number, number];
  readonly cols: readonly [number, number];
}

/**
 * The input pixels a unit depends on, measured: the union over `inputs` and `channels` of the non-zero support of
 * ∂(unit at `row`, `col`)/∂input. One input shows only part of the field (a ReLU that is off, a max-pool that
 * picked another pixel pass no gradient), so several inputs and channels are joined. Also returns the union as a
 * picture (H × W, how many of the gradients reach each pixel).
 */
export async function gradientSupport(
  encoder: ImageEncoder,
  inputs: tf.Tensor4D,
  channels: readonly number[],
  row: number,
  col: number,
): Promise<{ support: Support | undefined; reached: Float32Array }> {
  const [n, H, W] = inputs.shape;
  const units: UnitAt[] = channels.flatMap((channel) => Array.from({ length: n }, () => ({ channel, row, col })));
  const reachedTensor = tf.tidy(() => {
    const tiled = tf.tile(inputs, [channels.length, 1, 1, 1]); // (channels·n, H, W, C): unit u reads copy u of the inputs
    const g = unitGradients(encoder, tiled, units);
    return tf.sum(tf.cast(tf.notEqual(tf.sum(tf.abs(g), 3), 0), 'float32'), 0); // (H, W)
  });
  const reached = (await reachedTensor.data()) as Float32Array;
  reachedTensor.dispose();
  const rows: number[] = [];
  const cols: number[] = [];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (reached[y * W + x]! <= 0) continue;
      rows.push(y);
      cols.push(x);
    }
  }
  if (rows.length === 0) return { support: undefined, reached };
  return {
    support: { rows: [Math.min(...rows), Math.max(...rows)], cols: [Math.min(...cols), Math.max(...cols)] },
    reached,
  };
}

/** A measured receptive field, the supports it came from, and the picture of the centre unit's. */
export interface MeasuredField {
  readonly field: ReceptiveField | undefined;
  /** The support of the unit at the centre of the map. */
  readonly centre: Support | undefined;
  readonly centreAt: readonly [number, number];
  readonly reached: Float32Array;
}

/**
 * An encoder's receptive field, measured from gradients: its size is the centre unit's support, its stride the
 * shift of the support from the unit one row above the centre to the centre, its offset where row 0's window
 * would begin. (Exact where both windows lie inside the image; a window cut by the border looks smaller.)
 */
export async function measureField(encoder: ImageEncoder, inputs: tf.Tensor4D, channels: readonly number[]): Promise<MeasuredField> {
  const [h, w] = mapShape(encoder);
  const [row, col] = [Math.floor(h / 2), Math.floor(w / 2)];
  const centre = await gradientSupport(encoder, inputs, channels, row, col);
  if (!centre.support) return { field: undefined, centre: undefined, centreAt: [row, col], reached: centre.reached };
  const size = centre.support.rows[1] - centre.support.rows[0] + 1;
  let stride = inputs.shape[1]; // a 1×1 map never moves its window
  if (row > 0) {
    const above = (await gradientSupport(encoder, inputs, channels, row - 1, col)).support;
    if (above) stride = centre.support.rows[0] - above.rows[0];
  }
  return {
    field: { size, stride, offset: centre.support.rows[0] - row * stride },
    centre: centre.support,
    centreAt: [row, col],
    reached: centre.reached,
  };
}

/**
 * How much of the input matters to each unit: the fewest pixels that hold `mass` (0.9) of Σ|∂unit/∂input|, for
 * unit `units[i]` on input i (summed over the input's channels). NaN where the gradient is zero everywhere.
 */
export async function relevantAreas(encoder: ImageEncoder, inputs: tf.Tensor4D, units: readonly UnitAt[], mass = 0.9): Promise<number[]> {
  const [n, H, W] = inputs.shape;
  const magnitude = tf.tidy(() => tf.sum(tf.abs(unitGradients(encoder, inputs, units)), 3)); // (n, H, W)
  const values = (await magnitude.data()) as Float32Array;
  magnitude.dispose();
  const pixels = H * W;
  return Array.from({ length: n }, (_, i) => {
    const sorted = Array.from(values.subarray(i * pixels, (i + 1) * pixels)).sort((a, b) => b - a);
    const total = sorted.reduce((a, b) => a + b, 0);
    if (total === 0) return NaN;
    let sum = 0;
    for (let k = 0; k < sorted.length; k++) {
      sum += sorted[k]!;
      if (sum >= mass * total) return k + 1;
    }
    return sorted.length;
  });
}
