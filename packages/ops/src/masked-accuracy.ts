import * as tf from '@tensorflow/tfjs';
import { ShapeError, type WeightedSum } from '@nnkit/core';

/**
 * Token accuracy over the real tokens of padded sequences: the tokens whose argmax over `logits` (batch, T, V) is the
 * target in `targets` (batch, T), counted where `mask` (batch, T) is 1, with the number of real tokens as the weight
 * (a WeightedSum, so that a split's accuracy is Σ correct / Σ real over its batches, whatever each one's padding).
 * Padding is ignored by the mask, as nanoGPT ignores it by index. Not differentiable (an argmax): a metric, not a loss.
 */
export function maskedAccuracy(logits: tf.Tensor3D, targets: tf.Tensor2D, mask: tf.Tensor2D): WeightedSum {
  const [batch, steps] = logits.shape;
  for (const [name, t] of [
    ['targets', targets],
    ['mask', mask],
  ] as const) {
    if (t.rank !== 2 || t.shape[0] !== batch || t.shape[1] !== steps) {
      throw new ShapeError(`maskedAccuracy expects ${name} of shape (${batch}, ${steps}), the logits' (batch, T), got shape [${t.shape}].`);
    }
  }
  return tf.tidy(() => {
    const realMask = tf.cast(mask, 'float32');
    const correct = tf.cast(tf.equal(tf.argMax(logits, 2), tf.cast(targets, 'int32')), 'float32');
    return { sum: tf.sum(tf.mul(correct, realMask)) as tf.Scalar, weight: tf.sum(realMask) as tf.Scalar };
  });
}
