import * as tf from '@tensorflow/tfjs';
import { trainableVariable, type RecurrentCell, type TrainableModel } from '@nnkit/core';
import { unroll } from '@nnkit/ops';

/** A recurrent cell read out once, after the last step, by a linear layer: ŷ = h_T·w + b, trained on squared error. */
export function sequenceRegressor(cell: RecurrentCell, seed: number): TrainableModel {
  const readout = trainableVariable(tf.randomUniform([cell.units, 1], -0.1, 0.1, 'float32', seed));
  const bias = trainableVariable(tf.ones([1])); // starts at the mean answer
  const predict = (xs: tf.Tensor) => {
    const { outputs } = unroll(cell, xs as tf.Tensor3D, cell.initialState(xs.shape[0]!));
    return tf.add(tf.matMul(outputs.at(-1)!, readout), bias);
  };
  const weights = [...cell.trainableWeights, readout, bias];
  return {
    trainableWeights: weights,
    loss: (xs, ys) => tf.losses.meanSquaredError(ys, predict(xs)) as tf.Scalar,
    predict: (xs) => tf.tidy(() => predict(xs)),
    dispose: () => tf.dispose(weights),
  };
}
