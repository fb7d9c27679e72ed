import * as tf from '@tensorflow/tfjs';

/**
 * A trainable variable that takes over `initial`: `tf.variable(t)` keeps its own reference to t's data, so t
 * itself must be freed or it stays counted in `tf.memory().numTensors`. Unnamed: tfjs names must be unique per
 * process, and two models of one kind may live side by side.
 */
export function trainableVariable(initial: tf.Tensor): tf.Variable {
  const variable = tf.variable(initial);
  initial.dispose();
  return variable;
}
