import * as tf from '@tensorflow/tfjs';

/**
 * `tf.tidy` for a function that returns tensors inside typed objects (`{ sum, weight }`, `{ logits, state }`):
 * tfjs's own signature accepts only its TensorContainer index type, which interfaces don't match. Every tensor
 * in the result is kept; everything else made inside is freed.
 */
export function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as () => tf.TensorContainer) as T;
}

/** Frees every tensor inside `value` (objects and arrays, walked), passing over anything that is not a tensor. */
export function disposeAll(value: unknown): void {
  tf.dispose(value as tf.TensorContainer);
}
