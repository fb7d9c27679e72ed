import * as tf from '@tensorflow/tfjs';
import { stopGradient } from './stop-gradient.js';

/**
 * ‖g‖ over the elements of every tensor together. Computed as m·sqrt(Σ (g/m)²) with m the largest |g|, as BLAS's
 * nrm2 does: an exploding gradient of 1e20 squared would overflow float32 to Infinity, though its norm is finite.
 * The value does not depend on m, so m is held constant for differentiation.
 */
export function globalNorm(tensors: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    const largest = tf.max(tf.stack(tensors.map((g) => tf.max(tf.abs(g)))));
    const scale = stopGradient(tf.maximum(largest, 1e-30)); // all zero: any positive scale gives 0
    return tf.mul(scale, tf.sqrt(tf.addN(tensors.map((g) => tf.sum(tf.square(tf.div(g, scale))))))) as tf.Scalar;
  });
}
