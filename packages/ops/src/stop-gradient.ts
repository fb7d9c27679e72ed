import * as tf from '@tensorflow/tfjs';

/**
 * Identity on the way forward, zero gradient on the way back: nothing upstream learns from what flows through
 * it. tfjs has no tf.stopGradient; this is one, on every backend (a custom gradient of zeros).
 */
const identityWithZeroGradient = tf.customGrad((...args) => ({
  value: tf.clone(args[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

function stopGradient_<T extends tf.Tensor>(x: T): T {
  return identityWithZeroGradient(x) as T;
}

export const stopGradient = tf.op({ stopGradient_ });

/** The same op under the name truncated back-propagation uses: the gradient through the state is cut here. */
export const truncateGradient = stopGradient;
