import * as tf from '@tensorflow/tfjs';
import { ShapeError, type RecurrentCell, type WeightMap } from '@nnkit/core';

/** The zero state of `cell` for a batch: one (batch, size) tensor per declared state component. */
export function zeroState(cell: Pick<RecurrentCell, 'stateSizes'>, batchSize: number): tf.Tensor2D[] {
  return cell.stateSizes.map((size) => tf.zeros([batchSize, size]) as tf.Tensor2D);
}

/** `{ kernel, bias }` under `prefix` gives `{ 'prefix/kernel', 'prefix/bias' }`: how cells and layers name their weights. */
export function prefixWeights(prefix: string, weights: Readonly<Record<string, tf.Variable>>): WeightMap {
  return Object.fromEntries(Object.entries(weights).map(([name, variable]) => [`${prefix}/${name}`, variable]));
}

/**
 * One (batch, …) tensor per step of a sequence whose time axis is `timeAxis`: 1 for batch-major (batch, time, …),
 * 0 for time-major (time, batch, …). A single step is a reshape, not an unstack: tfjs's Unpack gradient stacks the
 * incoming gradients and fails when there is only one. Time-major steps are contiguous, so on the cpu backend each is
 * a view rather than a strided copy (the encoder and the decoder keep their sequences time-major inside).
 */
export function unstackSteps(x: tf.Tensor, timeAxis: 0 | 1 = 1): tf.Tensor[] {
  if (x.rank < timeAxis + 1 || x.rank < 2) {
    throw new ShapeError(`unstackSteps expects ${timeAxis === 1 ? '(batch, time, …)' : '(time, batch, …)'}, got shape [${x.shape}].`);
  }
  if (x.shape[timeAxis] !== 1) return tf.unstack(x, timeAxis);
  return [
    tf.reshape(
      x,
      x.shape.filter((_, axis) => axis !== timeAxis),
    ),
  ];
}
