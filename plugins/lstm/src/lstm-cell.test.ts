import * as tf from '@tensorflow/tfjs';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { checkGradients, unroll } from '@nnkit/ops';
import { expect, it } from 'vitest';
import { createLstmCell } from './lstm-cell.js';

const [batch, steps, inputSize, units] = [3, 5, 4, 6];

/** Our kernel (rows [h; x], columns f, i, C̃, o) as tf.layers.lstm's kernel, recurrent kernel and bias (columns i, f, c, o). */
function asLayersWeights(kernel: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor[] {
  return tf.tidy(() => {
    const reorder = (t: tf.Tensor) => {
      const [f, i, c, o] = tf.split(t, 4, -1);
      return tf.concat([i!, f!, c!, o!], -1);
    };
    const recurrent = kernel.slice([0, 0], [units, 4 * units]);
    const input = kernel.slice([units, 0], [inputSize, 4 * units]);
    return [reorder(input), reorder(recurrent), reorder(bias)];
  });
}

describeEachBackend('lstm/lstm cell', () => {
  it('equals tf.layers.lstm given the same weights (to 1e-5)', async () => {
    const cell = createLstmCell({ inputSize, units, seed: 1 });
    const xs = tf.randomNormal([batch, steps, inputSize], 0, 1, 'float32', 2) as tf.Tensor3D;
    const layer = tf.layers.lstm({ units, returnSequences: true, recurrentActivation: 'sigmoid', inputShape: [steps, inputSize] });
    const model = tf.sequential({ layers: [layer] });
    const weights = asLayersWeights(cell.kernel as tf.Tensor2D, cell.bias as tf.Tensor1D);
    model.setWeights(weights);
    const expected = model.predict(xs) as tf.Tensor3D;
    const actual = tf.tidy(() => tf.stack(unroll(cell, xs, cell.initialState(batch)).outputs, 1));
    expectClose(await actual.data(), await expected.data(), { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([xs, expected, actual, ...weights, ...cell.trainableWeights]);
    model.dispose();
  });

  it('starts with forget bias 1 and passes a gradient check through time, leaving no tensor behind', async () => {
    const cell = createLstmCell({ inputSize: 2, units: 3, seed: 3 });
    expect(Array.from(await cell.bias.data())).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const xs = tf.randomNormal([2, 4, 2], 0, 1, 'float32', 4) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const loss = (x: tf.Tensor) => {
      const { outputs } = unroll(cell, x as tf.Tensor3D, cell.initialState(2));
      return tf.sum(tf.square(outputs.at(-1)!)) as tf.Scalar;
    };
    const result = await checkGradients(loss, [xs]);
    expect(result.mismatches).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([xs, ...cell.trainableWeights]);
  });
}, { only: ['cpu', 'wasm', 'webgpu'] });
