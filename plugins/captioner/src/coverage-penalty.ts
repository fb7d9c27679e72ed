import * as tf from '@tensorflow/tfjs';

/**
 * Xu et al.'s doubly stochastic regularization Σ_i (1 − Σ_t α_ti)², summed over the batch, written as Σ_i S_i² −
 * T²/L with S_i = Σ_t α_ti over the T real words: since Σ_i S_i = T, the two differ by a constant, so the gradient is
 * the paper's while the value is 0 when the caption's attention covers every position evenly (and the loss shown in
 * progress stays a cross-entropy, not L per image above it). alphas: (batch, T, L); mask: (batch, T).
 */
export function coveragePenalty(alphas: tf.Tensor3D, mask: tf.Tensor2D): tf.Scalar {
  const positions = alphas.shape[2];
  const coverage = tf.sum(tf.mul(alphas, tf.expandDims(mask, 2)), 1); // (batch, L)
  const words = tf.sum(mask, 1); // (batch)
  return tf.sum(tf.sub(tf.sum(tf.square(coverage), 1), tf.div(tf.square(words), positions))) as tf.Scalar;
}
