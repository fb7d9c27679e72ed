import * as tf from '@tensorflow/tfjs';
import { trainableVariable, type CellDefinition, type CellOptions, type RecurrentCell } from '@nnkit/core';

export interface LstmCell extends RecurrentCell {
  /** (units + inputSize, 4·units): the gates' weights on [h_{t−1}, x_t], columns in the order f, i, C̃, o. */
  readonly kernel: tf.Variable;
  /** (4·units): b_f, b_i, b_C, b_o. */
  readonly bias: tf.Variable;
}

/**
 * The LSTM cell as the lecture writes it (colah's "Understanding LSTM Networks"), every gate reading [h_{t−1}, x_t]:
 *
 *   f_t = σ(W_f·[h_{t−1}, x_t] + b_f)        forget gate
 *   i_t = σ(W_i·[h_{t−1}, x_t] + b_i)        input gate
 *   C̃_t = tanh(W_C·[h_{t−1}, x_t] + b_C)     the cell's candidate contribution
 *   C_t = f_t ∗ C_{t−1} + i_t ∗ C̃_t          the cell state's update
 *   o_t = σ(W_o·[h_{t−1}, x_t] + b_o)        output gate
 *   h_t = o_t ∗ tanh(C_t)
 *
 * The four W are one matrix, so a step is one matMul. Weights start Glorot-uniform; the forget bias starts at 1
 * (Gers et al. 2000; Jozefowicz et al. 2015), so the cell remembers by default.
 */
export function createLstmCell({ inputSize, units, seed }: CellOptions): LstmCell {
  const fanIn = units + inputSize;
  const limit = Math.sqrt(6 / (fanIn + units));
  const kernel = trainableVariable(tf.randomUniform([fanIn, 4 * units], -limit, limit, 'float32', seed));
  const bias = trainableVariable(tf.tidy(() => tf.concat([tf.ones([units]), tf.zeros([3 * units])])));
  return {
    units,
    kernel,
    bias,
    trainableWeights: [kernel, bias],
    initialState: (batchSize) => [tf.zeros([batchSize, units]), tf.zeros([batchSize, units])],
    step(x, [h, c]) {
      return tf.tidy(() => {
        const gates = tf.add(tf.matMul(tf.concat([h!, x], 1), kernel), bias); // (batch, 4·units)
        const [f, i, candidate, o] = tf.split(gates, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const cell = tf.add(tf.mul(tf.sigmoid(f), c!), tf.mul(tf.sigmoid(i), tf.tanh(candidate))) as tf.Tensor2D;
        const hidden = tf.mul(tf.sigmoid(o), tf.tanh(cell)) as tf.Tensor2D;
        return { output: hidden, state: [hidden, cell] };
      });
    },
  };
}

export const lstmCell: CellDefinition = {
  name: 'lstm',
  description: 'LSTM cell with forget, input and output gates (the lecture’s formulas)',
  create: createLstmCell,
};
