import * as tf from '@tensorflow/tfjs';
import { ShapeError, type Examples } from '@nnkit/core';

/**
 * A token sequence as `streams` parallel streams for truncated BPTT (Zaremba et al. 2014's batching): the sequence
 * is cut into `streams` contiguous pieces, one per row; ys is xs shifted by one token (the next token to predict).
 */
export function toStreams(ids: ArrayLike<number>, streams: number): Examples {
  const length = Math.floor((ids.length - 1) / streams);
  if (!(Number.isInteger(streams) && streams >= 1) || length < 1) {
    throw new ShapeError(`toStreams expects an integer 1 ≤ streams < tokens, got ${streams} streams for ${ids.length} tokens.`);
  }
  const xs = new Int32Array(streams * length);
  const ys = new Int32Array(streams * length);
  for (let s = 0; s < streams; s++) {
    for (let t = 0; t < length; t++) {
      xs[s * length + t] = ids[s * length + t]!;
      ys[s * length + t] = ids[s * length + t + 1]!;
    }
  }
  return { xs: tf.tensor2d(xs, [streams, length], 'int32'), ys: tf.tensor2d(ys, [streams, length], 'int32') };
}
