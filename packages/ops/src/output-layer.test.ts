import * as tf from '@tensorflow/tfjs';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { expect, it } from 'vitest';
import { createOutputLayer } from './output-layer.js';

describeEachBackend('createOutputLayer', () => {
  it('is h W_o + b_o under the names output/kernel and output/bias, for one step or many, with dropout only while training', async () => {
    const output = createOutputLayer(3, 5, 0.5, (label) => (label === 'output' ? 11 : 0));
    expect(Object.keys(output.weights)).toEqual(['output/kernel', 'output/bias']);
    const { 'output/kernel': kernel, 'output/bias': bias } = output.weights;
    bias!.assign(tf.tensor1d([1, 2, 3, 4, 5]));
    const hidden = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 3) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const many = output.logits(hidden);
    const second = tf.tidy(() => tf.reshape(tf.slice(hidden, [0, 1, 0], [2, 1, 3]), [2, 3])) as tf.Tensor2D; // step 1 of each row
    const one = output.logits(second);
    const expected = tf.tidy(() => tf.add(tf.matMul(tf.reshape(hidden, [8, 3]), kernel!), bias!));
    expect(many.shape).toEqual([2, 4, 5]);
    expectClose(await many.data(), await expected.data(), { rtol: 1e-6, atol: 1e-6 });
    expectClose(
      await one.data(),
      Array.from(await expected.data())
        .slice(5, 10)
        .concat(Array.from(await expected.data()).slice(25, 30)),
      { rtol: 1e-6, atol: 1e-6 },
    );
    const dropped = output.logits(hidden, { training: true, seed: 4 });
    const again = output.logits(hidden, { training: true, seed: 4 });
    expectClose(await dropped.data(), await again.data(), { rtol: 0, atol: 0 });
    expect(Array.from(await dropped.data())).not.toEqual(Array.from(await many.data()));
    tf.dispose([many, second, one, expected, dropped, again]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([hidden, ...Object.values(output.weights)]);
  });
});
