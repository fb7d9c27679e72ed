import * as tf from '@tensorflow/tfjs';
import { ConfigError, type OptimizerSpec } from '@nnkit/core';
import { FlatAdamOptimizer } from './flat-adam.js';

/** Makes the tfjs optimizer an `OptimizerSpec` describes (kept as data so that checkpoints can remake it). */
export function createOptimizer(spec: OptimizerSpec): tf.Optimizer {
  const lr = spec.learningRate;
  if (!(lr > 0)) throw new ConfigError(`Optimizer '${spec.name}' expects a positive learningRate, got ${lr}.`, 'learningRate');
  const number = (key: string, fallback: number) => (typeof spec[key] === 'number' ? (spec[key] as number) : fallback);
  switch (spec.name) {
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
      return tf.train.momentum(lr, number('momentum', 0.9));
    case 'adam':
      // tfjs's Adam over one flat vector: the same steps and saved state, a fraction of the kernels (flat-adam.ts).
      return new FlatAdamOptimizer(lr, number('beta1', 0.9), number('beta2', 0.999), number('epsilon', 1e-7));
    case 'rmsprop':
      return tf.train.rmsprop(lr, number('decay', 0.9), number('momentum', 0));
    case 'adagrad':
      return tf.train.adagrad(lr);
    default:
      throw new ConfigError(
        `Optimizer expects a name among sgd, momentum, adam, rmsprop, adagrad, got '${String((spec as { name: unknown }).name)}'.`,
        'name',
      );
  }
}

/** Frees an optimizer: tfjs's MomentumOptimizer.dispose() forgets the scalar −learningRate (`c`) that SGD's frees. */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  if (optimizer.getClassName() === 'Momentum') (optimizer as unknown as { c?: tf.Tensor }).c?.dispose();
}

/**
 * tfjs's optimizers have no common way to change the rate: SGD and momentum cache it (setLearningRate), the
 * others read their `learningRate` field at every step.
 */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  if (!(rate > 0)) throw new ConfigError(`The learning-rate schedule expects a positive rate, got ${rate}.`, 'learningRate');
  const target = optimizer as tf.Optimizer & { setLearningRate?: (rate: number) => void; learningRate?: number };
  if (typeof target.setLearningRate === 'function') target.setLearningRate(rate);
  else target.learningRate = rate;
}
