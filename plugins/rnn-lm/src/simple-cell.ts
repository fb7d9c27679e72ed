import * as tf from '@tensorflow/tfjs';
import { ShapeError, type CellDefinition, type CellOptions, type RecurrentCell } from '@nnkit/core';
import { prefixWeights, trainableVariable, uniformVariable, withContext } from '@nnkit/ops';
import { orthogonalMatrix } from './orthogonal.js';
import { simpleRnnSequence } from './simple-sequence.js';

export interface SimpleRnnCell extends RecurrentCell {
  /** U: (inputSize + contextSize, units), the input's weights (rows for x_t, then for the context). */
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
 *
 * With `contextSize` c > 0 the step reads [x_t, context] instead of x_t (the context is one more input, the same
 * at every step it is given: an image's features for a captioner, an attention context), so U has inputSize + c rows.
 * Weights: `${name}/input`, `${name}/recurrent`, `${name}/bias`, name defaulting to `simple`. State: [s_t].
 */
export function createSimpleRnnCell({ inputSize, units, seed, name = 'simple', contextSize = 0 }: CellOptions): SimpleRnnCell {
  const rows = inputSize + contextSize;
  const input = uniformVariable([rows, units], Math.sqrt(6 / (rows + units)), seed);
  const recurrent = trainableVariable(orthogonalMatrix(units, seed === undefined ? undefined : seed + 1));
  const bias = trainableVariable(tf.zeros([units]));
  return {
    units,
    stateSizes: [units],
    weights: prefixWeights(name, { input, recurrent, bias }),
    input,
    recurrent,
    bias,
    step(x, [s], options = {}) {
      return tf.tidy(() => {
        const joined = withContext(`rnn-lm/simple cell '${name}'`, contextSize, x, options.context); // (batch, inputSize + contextSize)
        const next = tf.tanh(tf.add(tf.add(tf.matMul(joined, input), tf.matMul(s!, recurrent)), bias)) as tf.Tensor2D;
        return { output: next, state: [next] };
      });
    },
    // Without a context, a whole sequence runs as one op with its gradient written out (the same values, tested).
    ...(contextSize === 0 && {
      sequence: (inputs: tf.Tensor3D, [s]: readonly tf.Tensor2D[]) => {
        if (inputs.rank !== 3 || inputs.shape[0] < 1 || inputs.shape[2] !== inputSize)
          throw new ShapeError(
            `rnn-lm/simple cell '${name}' sequence expects inputs of shape (time ≥ 1, batch, ${inputSize}), got shape [${inputs.shape}].`,
          );
        const outputs = simpleRnnSequence(inputs, s!, input, recurrent, bias);
        return { outputs, states: [outputs] };
      },
    }),
  };
}

export const simpleCell: CellDefinition = {
  name: 'simple',
  description: 'the lecture’s simple RNN: s_t = tanh(U x_t + W s_{t−1} + b)',
  create: createSimpleRnnCell,
};
