import * as tf from '@tensorflow/tfjs';
import { trainableVariable, type CellDefinition, type CellOptions, type RecurrentCell } from '@nnkit/core';
import { orthogonalMatrix } from './orthogonal.js';

export interface SimpleRnnCell extends RecurrentCell {
  /** U: (inputSize, units), the input's weights. */
  readonly input: tf.Variable;
  /** W: (units, units), the recurrent weights. */
  readonly recurrent: tf.Variable;
  /** b: (units). The slides omit it; it starts at zero. */
  readonly bias: tf.Variable;
}

/**
 * The lecture's simple RNN, s_t = tanh(U x_t + W s_{t−1} + b), written in the row-vector form tfjs uses
 * (x_t U + s_{t−1} W). Initialization as Keras's SimpleRNN: U Glorot-uniform, W orthogonal (Saxe et al. 2014),
 * b zero. With every singular value of W at 1, gradients through time neither explode nor vanish at the start
 * only because of W; tanh′ ≤ 1 still shrinks them, which the vanishing-gradients recipe shows.
 */
export function createSimpleRnnCell({ inputSize, units, seed }: CellOptions): SimpleRnnCell {
  const limit = Math.sqrt(6 / (inputSize + units));
  const input = trainableVariable(tf.randomUniform([inputSize, units], -limit, limit, 'float32', seed));
  const recurrent = trainableVariable(orthogonalMatrix(units, seed === undefined ? undefined : seed + 1));
  const bias = trainableVariable(tf.zeros([units]));
  return {
    units,
    input,
    recurrent,
    bias,
    trainableWeights: [input, recurrent, bias],
    initialState: (batchSize) => [tf.zeros([batchSize, units])],
    step(x, [s]) {
      return tf.tidy(() => {
        const next = tf.tanh(tf.add(tf.add(tf.matMul(x, input), tf.matMul(s!, recurrent)), bias)) as tf.Tensor2D;
        return { output: next, state: [next] };
      });
    },
  };
}

export const simpleCell: CellDefinition = {
  name: 'simple',
  description: 'the lecture’s simple RNN: s_t = tanh(U x_t + W s_{t−1} + b)',
  create: createSimpleRnnCell,
};
