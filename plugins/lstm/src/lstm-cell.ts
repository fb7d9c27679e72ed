import * as tf from '@tensorflow/tfjs';
import { ShapeError, type CellDefinition, type CellOptions, type CellStepOptions, type RecurrentCell } from '@nnkit/core';
import { prefixWeights, trainableVariable, uniformVariable, unstackSteps, withContext } from '@nnkit/ops';
import { blockLstm, hasBlockLstm, lstmBlockCell } from './block-lstm.js';

export interface LstmCell extends RecurrentCell {
  /**
   * (units + inputSize + contextSize, 4·units): the gates' weights on [h_{t−1}, x_t, context], columns in the order
   * f, i, C̃, o.
   */
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
 *
 * With `contextSize` c > 0 every gate also reads a per-example context, [h_{t−1}, x_t, context] (show-and-tell's
 * image features, an attention context), so the kernel has c more rows. Weights: `${name}/kernel`, `${name}/bias`,
 * name defaulting to `lstm`. State: [h_t, C_t], both (batch, units).
 */
export function createLstmCell({ inputSize, units, seed, name = 'lstm', contextSize = 0 }: CellOptions): LstmCell {
  const fanIn = units + inputSize + contextSize;
  const kernel = uniformVariable([fanIn, 4 * units], Math.sqrt(6 / (fanIn + units)), seed);
  const bias = trainableVariable(tf.tidy(() => tf.concat([tf.ones([units]), tf.zeros([3 * units])])));
  const owner = `lstm/lstm cell '${name}'`;
  return {
    units,
    stateSizes: [units, units],
    weights: prefixWeights(name, { kernel, bias }),
    kernel,
    bias,
    step,
    // On the native backend, a run's steps go through TensorFlow's fused LSTMBlockCell, the kernel laid out for it once.
    prepareSteps: () => (hasBlockLstm() ? fusedSteps() : step),
    // Without a context, a whole sequence can run faster than step by step (the same values and gradients, tested).
    ...(contextSize === 0 && {
      sequence: (inputs: tf.Tensor3D, [h, c]: readonly tf.Tensor2D[]) =>
        tf.tidy(() => {
          if (inputs.rank !== 3 || inputs.shape[2] !== inputSize) {
            throw new ShapeError(
              `lstm/lstm cell '${name}' sequence expects inputs of shape (time, batch, ${inputSize}), got shape [${inputs.shape}].`,
            );
          }
          return hasBlockLstm() ? fusedSequence(inputs, h!, c!) : projectedSequence(inputs, h!, c!);
        }),
    }),
  };

  function step(x: tf.Tensor2D, [h, c]: readonly tf.Tensor2D[], options: CellStepOptions = {}) {
    return tf.tidy(() => {
      const reads = tf.concat([h!, withContext(owner, contextSize, x, options.context)], 1); // [h_{t−1}, x_t, context]
      const gates = tf.add(tf.matMul(reads, kernel), bias); // (batch, 4·units)
      const [f, i, candidate, o] = tf.split(gates, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const cell = tf.add(tf.mul(tf.sigmoid(f), c!), tf.mul(tf.sigmoid(i), tf.tanh(candidate))) as tf.Tensor2D;
      const hidden = tf.mul(tf.sigmoid(o), tf.tanh(cell)) as tf.Tensor2D;
      return { output: hidden, state: [hidden, cell] };
    });
  }

  /**
   * The kernel and bias as TensorFlow's LSTM kernels read them: rows over [x_t, context, h_{t−1}] (ours are over
   * [h_{t−1}, x_t, context]) and the gates' columns in the order i, C̃, f, o (ours f, i, C̃, o).
   */
  function tensorflowLayout() {
    const gate = (k: number) => tf.slice(kernel, [0, k * units], [-1, units]);
    const columns = tf.concat([gate(1), gate(2), gate(0), gate(3)], 1); // f, i, C̃, o → i, C̃, f, o
    const w = tf.concat([tf.slice(columns, [units, 0], [-1, -1]), tf.slice(columns, [0, 0], [units, -1])], 0) as tf.Tensor2D;
    const [bf, bi, bc, bo] = tf.split(bias, 4);
    return { w, b: tf.concat([bi!, bc!, bf!, bo!]) as tf.Tensor1D };
  }

  /** `step` through LSTMBlockCell, from the kernel laid out once for the run (only the layout outlives this call). */
  function fusedSteps(): RecurrentCell['step'] {
    const { w, b } = tf.tidy(tensorflowLayout);
    return (x, [h, c], options = {}) =>
      tf.tidy(() => {
        const both = lstmBlockCell(withContext(owner, contextSize, x, options.context), c!, h!, w, b);
        const [hidden, cell] = tf.split(both, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
        return { output: hidden, state: [hidden, cell] };
      });
  }

  /** The native backend's BlockLSTM, the kernel's rows put as [x; h] and its gate columns as TensorFlow's i, C̃, f, o. */
  function fusedSequence(inputs: tf.Tensor3D, h: tf.Tensor2D, c: tf.Tensor2D) {
    const { w, b } = tensorflowLayout();
    const both = blockLstm(inputs, c, h, w, b);
    const [outputs, cells] = tf.split(both, 2, 2) as [tf.Tensor3D, tf.Tensor3D];
    return { outputs, states: [outputs, cells] };
  }

  /**
   * Step by step, but with every step's input projected in one matMul beforehand (x_t's share of the gates does not
   * depend on h), so that each step multiplies only h_{t−1}: fewer, larger kernels on every backend.
   */
  function projectedSequence(inputs: tf.Tensor3D, h: tf.Tensor2D, c: tf.Tensor2D) {
    const [time, batch] = inputs.shape;
    const recurrent = tf.slice(kernel, [0, 0], [units, -1]); // rows of h_{t−1}
    const projected = tf.add(tf.matMul(tf.reshape(inputs, [time * batch, inputSize]), tf.slice(kernel, [units, 0], [inputSize, -1])), bias);
    const outputs: tf.Tensor2D[] = [];
    const cells: tf.Tensor2D[] = [];
    (unstackSteps(tf.reshape(projected, [time, batch, 4 * units]), 0) as tf.Tensor2D[]).forEach((xGates) => {
      const [f, i, candidate, o] = tf.split(tf.add(xGates, tf.matMul(h, recurrent)), 4, 1);
      c = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.sigmoid(i!), tf.tanh(candidate!))) as tf.Tensor2D;
      h = tf.mul(tf.sigmoid(o!), tf.tanh(c)) as tf.Tensor2D;
      outputs.push(h);
      cells.push(c);
    });
    const stacked = tf.stack(outputs) as tf.Tensor3D;
    return { outputs: stacked, states: [stacked, tf.stack(cells) as tf.Tensor3D] };
  }
}

export const lstmCell: CellDefinition = {
  name: 'lstm',
  description: 'LSTM cell with forget, input and output gates (the lecture’s formulas)',
  create: createLstmCell,
};
