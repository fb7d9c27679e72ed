import * as tf from '@tensorflow/tfjs';
import type { RecurrentCell } from './contributions.js';
import { ShapeError } from './errors.js';
import type { WeightMap } from './training-contract.js';

/** The zero state of `cell` for a batch: one (batch, size) tensor per declared state component. */
export function zeroState(cell: Pick<RecurrentCell, 'stateSizes'>, batchSize: number): tf.Tensor2D[] {
  return cell.stateSizes.map((size) => tf.zeros([batchSize, size]) as tf.Tensor2D);
}

/** `{ kernel, bias }` under `prefix` gives `{ 'prefix/kernel', 'prefix/bias' }`: how cells and layers name their weights. */
export function prefixWeights(prefix: string, weights: Readonly<Record<string, tf.Variable>>): WeightMap {
  return Object.fromEntries(Object.entries(weights).map(([name, variable]) => [`${prefix}/${name}`, variable]));
}

/**
 * (batch, time, …) as one (batch, …) tensor per step, like `tf.unstack(x, 1)`, except that a single step is a
 * reshape: tfjs's Unpack gradient stacks the incoming gradients and fails when there is only one.
 */
export function unstackSteps(x: tf.Tensor): tf.Tensor[] {
  if (x.rank < 2) throw new ShapeError(`unstackSteps expects (batch, time, …), got shape [${x.shape}].`);
  return x.shape[1] === 1 ? [tf.reshape(x, [x.shape[0]!, ...x.shape.slice(2)])] : tf.unstack(x, 1);
}
