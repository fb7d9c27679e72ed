import * as tf from '@tensorflow/tfjs';
import { ShapeError, type Batch, type RecurrentCell, type TrainableModel } from '@nnkit/core';
import { trainableVariable, zeroState } from '@nnkit/ops';
import { unroll } from '@nnkit/ops';

/**
 * A recurrent cell read out once, after the last step, by a linear layer: ŷ = h_T·w + b, trained on squared error.
 * Batches hold `inputs` (batch, time, features) and `targets` (batch, 1). Weights: the cell's under `cell/`
 * (`cell/simple/input`, … for a cell made without a name), `readout` (units, 1) and `bias` (1).
 */
export function sequenceRegressor(cell: RecurrentCell, seed: number): TrainableModel {
  const readout = trainableVariable(tf.randomUniform([cell.units, 1], -0.1, 0.1, 'float32', seed));
  const bias = trainableVariable(tf.ones([1])); // starts at the mean answer
  const weights = { ...cell.weights, readout, bias }; // the cell's named by its creator (`name: 'cell'`)
  /** (batch, time, features) → h_T, (batch, units): the whole sequence at once where the cell can run it so (faster, the same values). */
  const lastState = (inputs: tf.Tensor3D) => {
    const start = zeroState(cell, inputs.shape[0]);
    if (cell.sequence === undefined) return unroll(cell, inputs, start).outputs.at(-1)!;
    const { outputs } = cell.sequence(tf.transpose(inputs, [1, 0, 2]), start);
    return tf.squeeze(tf.slice(outputs, [outputs.shape[0] - 1, 0, 0], [1, -1, -1]), [0]) as tf.Tensor2D;
  };
  /** (batch, time, features) → (batch, 1) */
  const predict = (inputs: tf.Tensor) => tf.add(tf.matMul(lastState(inputs as tf.Tensor3D), readout), bias);
  return {
    weights,
    loss(batch) {
      const { inputs, targets } = supervised(batch);
      // Σ over examples of (y − ŷ)²; the trainer divides by the weight, the batch size: the mean squared error.
      const sum = tf.tidy(() => tf.sum(tf.squaredDifference(targets, predict(inputs))) as tf.Scalar);
      return { sum, weight: inputs.shape[0]! };
    },
    predict: (inputs) => tf.tidy(() => predict(inputs)),
    dispose: () => tf.dispose(Object.values(weights)),
  };
}

/** The batch's `inputs` and `targets`; a batch without them is a caller's mistake worth a clear message. */
function supervised(batch: Batch): { inputs: tf.Tensor; targets: tf.Tensor } {
  const { inputs, targets } = batch;
  if (inputs === undefined || targets === undefined) {
    throw new ShapeError(
      `sequenceRegressor expects a batch with inputs (batch, time, features) and targets (batch, 1), got ${Object.keys(batch).join(', ') || 'no tensors'}. Batch the examples' xs as inputs and ys as targets.`,
    );
  }
  return { inputs, targets };
}
