import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@nnkit/core';
import { globalNorm } from './global-norm.js';

export interface ClippedGradients<G> {
  /** The gradients after clipping, in the structure they came in. */
  readonly clipped: G;
  /** ‖g‖ over all gradients together, before clipping (a scalar tensor). */
  readonly norm: tf.Scalar;
}

/**
 * The lecture's gradient clipping, over all gradients together (Pascanu et al. 2013):
 *
 *   ĝ ← ∂ε/∂θ;  if ‖ĝ‖ ≥ threshold then ĝ ← threshold / ‖ĝ‖ · ĝ
 *
 * ‖ĝ‖ is the L2 norm of every gradient's elements together, so clipping keeps the update's direction. Gradients
 * come as an array or as a map by variable name (what `tf.variableGrads` returns) and go back the same way.
 * The scale is computed as threshold / max(‖ĝ‖, threshold): exactly 1 below the threshold, no branch on a
 * value that lives on the device. `norm`, when given, is ‖ĝ‖ already measured (the trainers measure it every step
 * to check that it is finite), so that it is not computed twice.
 */
function clipByGlobalNorm_<G extends tf.Tensor[] | tf.NamedTensorMap>(grads: G, threshold: number, norm?: tf.Scalar): ClippedGradients<G> {
  if (!(threshold > 0) || !Number.isFinite(threshold)) {
    throw new ConfigError(`clipByGlobalNorm expects a threshold that is a positive finite number, got ${threshold}.`, 'threshold');
  }
  const tensors = Array.isArray(grads) ? grads : Object.values(grads);
  const globalNormOfAll = norm ?? globalNorm(tensors);
  const scale = tf.div(threshold, tf.maximum(globalNormOfAll, threshold));
  const clip = (g: tf.Tensor) => tf.mul(g, scale);
  const clipped = Array.isArray(grads) ? grads.map(clip) : Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, clip(g)]));
  return { clipped: clipped as G, norm: globalNormOfAll };
}

export const clipByGlobalNorm = tf.op({ clipByGlobalNorm_ });
