import * as tf from '@tensorflow/tfjs';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { checkGradients, unroll } from '@nnkit/ops';
import { expect, it } from 'vitest';
import { createSimpleRnnCell } from './simple-cell.js';

describeEachBackend('rnn-lm/simple cell', () => {
  it('computes s_t = tanh(U x_t + W s_{t−1} + b) and equals tf.layers.simpleRNN given the same weights', async () => {
    const [batch, steps, inputSize, units] = [2, 5, 3, 4];
    const cell = createSimpleRnnCell({ inputSize, units, seed: 1 });
    const xs = tf.randomNormal([batch, steps, inputSize], 0, 1, 'float32', 2) as tf.Tensor3D;
    const model = tf.sequential({ layers: [tf.layers.simpleRNN({ units, returnSequences: true, inputShape: [steps, inputSize] })] });
    model.setWeights([cell.input, cell.recurrent, cell.bias]);
    const expected = model.predict(xs) as tf.Tensor;
    const actual = tf.tidy(() => tf.stack(unroll(cell, xs, cell.initialState(batch)).outputs, 1));
    expectClose(await actual.data(), await expected.data(), { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([xs, expected, actual, ...cell.trainableWeights]);
    model.dispose();
  });

  it('starts with an orthogonal W and passes a gradient check, leaving no tensor behind', async () => {
    const cell = createSimpleRnnCell({ inputSize: 2, units: 3, seed: 3 });
    const wwT = tf.tidy(() => tf.matMul(cell.recurrent, cell.recurrent, false, true));
    expectClose(await wwT.data(), [1, 0, 0, 0, 1, 0, 0, 0, 1], { atol: 1e-5 });
    wwT.dispose();
    const xs = tf.randomNormal([2, 6, 2], 0, 1, 'float32', 4) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const loss = (x: tf.Tensor) => tf.sum(tf.square(unroll(cell, x as tf.Tensor3D, cell.initialState(2)).outputs.at(-1)!)) as tf.Scalar;
    expect((await checkGradients(loss, [xs])).mismatches).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([xs, ...cell.trainableWeights]);
  });
}, { only: ['cpu', 'wasm', 'webgpu'] });
