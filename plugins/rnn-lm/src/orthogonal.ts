import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '@nnkit/core';

/**
 * A random n×n orthogonal matrix (Saxe et al. 2014's initialization): Gram-Schmidt on a Gaussian matrix, in float64
 * on the CPU. tfjs's own initializer does a QR with tensor ops and warns about its speed above 2,000 elements;
 * this takes milliseconds for the sizes recurrent layers have.
 */
export function orthogonalMatrix(n: number, seed = Date.now()): tf.Tensor2D {
  const random = mulberry32(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()); // Box-Muller
  const rows = Array.from({ length: n }, () => Float64Array.from({ length: n }, gaussian));
  rows.forEach((row, i) => {
    for (let j = 0; j < i; j++) {
      const previous = rows[j]!;
      let dot = 0;
      for (let k = 0; k < n; k++) dot += row[k]! * previous[k]!;
      for (let k = 0; k < n; k++) row[k]! -= dot * previous[k]!;
    }
    const norm = Math.hypot(...row);
    for (let k = 0; k < n; k++) row[k]! /= norm;
  });
  return tf.tensor2d(
    rows.flatMap((row) => Array.from(row)),
    [n, n],
  );
}
