import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import { checkGradients } from '@nnkit/ops';
import { describe, expect, it } from 'vitest';
import lenet5, { createLeNet5 } from './index.js';

const seed = (label: string) => label.length * 7919;
const digits = (n: number) => tf.randomUniform([n, 28, 28, 1], 0, 1, 'float32', 5);

describe('LeNet-5', () => {
  it("has the paper's layer sizes and 61,706 parameters", () => {
    const model = createLeNet5({ activation: 'scaled-tanh', pooling: 'average' }, seed);
    // C1 (5·5·1+1)·6, C3 (5·5·6+1)·16, C5 (400+1)·120, F6 (120+1)·84, output (84+1)·10
    expect(Object.values(model.weights).reduce((n, w) => n + w.size, 0)).toBe(156 + 2416 + 48120 + 10164 + 850);
    const xs = digits(2);
    const activations = model.activations(xs);
    expect(activations.map((a) => [a.name, a.tensor.shape.slice(1)])).toEqual([
      ['input', [32, 32, 1]],
      ['C1', [28, 28, 6]],
      ['S2', [14, 14, 6]],
      ['C3', [10, 10, 16]],
      ['S4', [5, 5, 16]],
      ['C5', [120]],
      ['F6', [84]],
      ['output', [10]],
    ]);
    tf.dispose([xs, ...activations.map((a) => a.tensor)]);
    model.dispose!();
  });

  it('registers the model with classic and modern presets, and its features as an encoder', async () => {
    const kit = await createKit({ plugins: [lenet5()], backend: 'cpu', progress: silentProgress() });
    expect(kit.registry.resolveModelConfig('lenet5/lenet5', { preset: 'classic' }).config).toEqual({
      activation: 'scaled-tanh',
      pooling: 'average',
    });
    expect(kit.registry.resolveModelConfig('lenet5/lenet5', { preset: 'modern' }).config).toEqual({
      activation: 'relu',
      pooling: 'max',
    });
    const encoder = await kit.createEncoder('lenet5/features');
    const xs = digits(3);
    const features = encoder.encode(xs as tf.Tensor4D);
    expect(features.shape).toEqual([3, 120]);
    expect(encoder.outputShape).toEqual([120]);
    expect(Object.keys(encoder.weights)).toEqual([
      'lenet5/C1/kernel',
      'lenet5/C1/bias',
      'lenet5/C3/kernel',
      'lenet5/C3/bias',
      'lenet5/C5/kernel',
      'lenet5/C5/bias',
    ]);
    tf.dispose([xs, features, ...Object.values(encoder.weights)]);
  });

  it('passes a gradient check with respect to its input', async () => {
    const model = createLeNet5({ activation: 'scaled-tanh', pooling: 'average' }, seed);
    const labels = tf.oneHot(tf.tensor1d([3], 'int32'), 10);
    const xs = digits(1);
    const result = await checkGradients((x) => model.loss({ inputs: x, targets: labels }, { training: true }).sum, [xs], {
      maxElementsPerInput: 24,
    });
    expect(result.mismatches).toEqual([]);
    tf.dispose([labels, xs]);
    model.dispose!();
  });

  it('refuses inputs that are not 28×28 grey digits with a ShapeError', () => {
    const model = createLeNet5({ activation: 'relu', pooling: 'max' }, seed);
    const wrong = tf.zeros([2, 32, 32, 3]);
    expect(() => model.predict(wrong)).toThrow(/expects digits of shape \(n, 28, 28, 1\).*got shape \[2,32,32,3\]/);
    wrong.dispose();
    model.dispose!();
  });

  it('refuses targets that are not one-hot over ten digits with a ShapeError, before its forward pass', () => {
    const model = createLeNet5({ activation: 'relu', pooling: 'max' }, seed);
    const inputs = digits(2);
    const before = tf.memory().numTensors;
    for (const targets of [tf.zeros([2, 5]), tf.zeros([2]), tf.zeros([3, 10])]) {
      expect(() => model.loss({ inputs, targets }, { training: true })).toThrow(ShapeError);
      expect(() => model.loss({ inputs, targets }, { training: true })).toThrow(
        `one-hot digits of shape (2, 10) as the batch's 'targets', got shape [${targets.shape}]`,
      );
      targets.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    inputs.dispose();
    model.dispose!();
  });
});
