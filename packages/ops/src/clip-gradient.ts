import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@nnkit/core';

export type GradientClip = { readonly norm: number } | { readonly value: number };

/**
 * Identity on the way forward; on the way back the gradient is clipped, by its L2 norm ({ norm }: scaled down to
 * that norm when larger) or elementwise ({ value }: into [−value, value]). Clipping inside a graph, for example on
 * an RNN's hidden state at every step, bounds the product of Jacobians that makes gradients explode.
 */
function clipGradient_<T extends tf.Tensor>(x: T, clip: GradientClip): T {
  const bound = 'norm' in clip ? clip.norm : clip.value;
  if (!(bound > 0) || !Number.isFinite(bound)) {
    throw new ConfigError(`clipGradient expects { norm } or { value } with a positive finite number, got ${JSON.stringify(clip)}.`);
  }
  const clipBackward = (dy: tf.Tensor): tf.Tensor => {
    if ('value' in clip) return tf.clipByValue(dy, -clip.value, clip.value);
    const norm = tf.norm(dy);
    return tf.mul(dy, tf.div(clip.norm, tf.maximum(norm, clip.norm)));
  };
  const identity = tf.customGrad((...args) => ({
    value: tf.clone(args[0] as tf.Tensor),
    gradFunc: (dy: tf.Tensor) => clipBackward(dy),
  }));
  return identity(x) as T;
}

export const clipGradient = tf.op({ clipGradient_ });
