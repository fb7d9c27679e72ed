import * as tf from '@tensorflow/tfjs';
import { type Kit } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import { describeEachBackend } from '@nnkit/core/testing';
import { checkGradients } from '@nnkit/ops';
import { beforeAll, describe, expect, it } from 'vitest';
import cnnFeatures, { blockReceptiveFields, createCnn, CNN_CONFIG, type CnnConfig, type CnnEncoder, type CnnFeatures } from './index.js';

const seed = (label: string) => label.length * 7919 + label.charCodeAt(label.length - 1);
const DEFAULTS = Object.fromEntries(Object.entries(CNN_CONFIG).map(([key, spec]) => [key, spec.default])) as CnnConfig;
const digits = (n: number, s = 5) => tf.randomUniform([n, 28, 28, 1], 0, 1, 'float32', s);

let kit: Kit;
beforeAll(async () => {
  kit = await createKit({ plugins: [cnnFeatures()], backend: 'cpu', progress: silentProgress() });
});

/** Input rows where ∂(unit at the centre of `layer`'s map)/∂input is non-zero, over several inputs: its support. */
function measuredRows(encoder: CnnEncoder, channel: number, inputs: tf.Tensor4D): { first: number; last: number } | undefined {
  const [h, w, c] = encoder.outputShape;
  const gradient = tf.tidy(() => {
    const mask = tf.buffer([1, h, w, c]);
    mask.set(1, 0, Math.floor(h / 2), Math.floor(w / 2), channel);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(encoder.encode(x as tf.Tensor4D), mask.toTensor())))(inputs);
    return tf.max(tf.abs(g), [0, 2, 3]).dataSync(); // (rows)
  });
  const rows = Array.from(gradient.keys()).filter((r) => gradient[r]! > 0);
  return rows.length > 0 ? { first: rows[0]!, last: rows.at(-1)! } : undefined; // undefined: the unit is silent on every input
}

describe('receptive fields', () => {
  it('are computed from kernels, paddings and poolings: 3, 8, 18 for 3×3 kernels; 5, 14, 32 for 5×5', () => {
    expect(blockReceptiveFields(3, 3)).toEqual([
      { size: 3, stride: 1, offset: -1 },
      { size: 8, stride: 2, offset: -3 },
      { size: 18, stride: 4, offset: -7 },
    ]);
    expect(blockReceptiveFields(3, 5)).toEqual([
      { size: 5, stride: 1, offset: -2 },
      { size: 14, stride: 2, offset: -6 },
      { size: 32, stride: 4, offset: -14 },
    ]);
  });

  it("equal the support of a unit's gradient with respect to the input, measured", () => {
    const model = createCnn(DEFAULTS, seed);
    const inputs = digits(16) as tf.Tensor4D;
    for (const layer of model.layers) {
      const encoder = model.encoder(layer);
      const { size, stride, offset } = encoder.receptiveField;
      const centre = Math.floor(encoder.outputShape[0] / 2);
      // Several channels, so that one unit silent on every input (a dead ReLU) cannot shrink the support.
      const supports = [0, 1, 2, 3, 4, 5].flatMap((channel) => measuredRows(encoder, channel, inputs) ?? []);
      expect(supports.length).toBeGreaterThan(2);
      const first = Math.min(...supports.map((s) => s.first));
      const last = Math.max(...supports.map((s) => s.last));
      expect({ layer, first, size: last - first + 1 }).toEqual({ layer, first: offset + centre * stride, size });
    }
    inputs.dispose();
    model.dispose!();
  });
});

describe('cnn-features/cnn', () => {
  it('has conv1 (28, 28, 16), conv2 (14, 14, 32), conv3 (7, 7, 64) and weights by stable name', () => {
    const model = createCnn(DEFAULTS, seed);
    const xs = digits(2);
    const maps = model.activations(xs);
    expect(Object.entries(maps).map(([name, t]) => [name, t.shape.slice(1)])).toEqual([
      ['conv1', [28, 28, 16]],
      ['conv2', [14, 14, 32]],
      ['conv3', [7, 7, 64]],
    ]);
    expect(Object.keys(model.weights)).toEqual([
      'conv1/kernel',
      'conv1/bias',
      'conv2/kernel',
      'conv2/bias',
      'conv3/kernel',
      'conv3/bias',
      'head/hidden/kernel',
      'head/hidden/bias',
      'head/output/kernel',
      'head/output/bias',
    ]);
    // conv (9·1+1)·16, (9·16+1)·32, (9·32+1)·64; head (576+1)·128, (128+1)·10
    expect(Object.values(model.weights).reduce((n, w) => n + w.size, 0)).toBe(160 + 4640 + 18496 + 73856 + 1290);
    expect(model.predict(xs).shape).toEqual([2, 10]);
    tf.dispose([xs, ...Object.values(maps)]);
    model.dispose!();
  });

  it('registers presets small, wide and pixels (no conv blocks: an MLP on the raw pixels)', async () => {
    expect(kit.registry.resolveModelConfig('cnn-features/cnn', { preset: 'wide' }).config).toMatchObject({
      widths: [32, 64, 128],
      hidden: 256,
      dropout: 0.5,
    });
    const { model } = await kit.createModel<CnnFeatures>('cnn-features/cnn', { preset: 'pixels' });
    expect(model.layers).toEqual([]);
    expect(Object.keys(model.weights)).toEqual(['head/hidden/kernel', 'head/hidden/bias', 'head/output/kernel', 'head/output/bias']);
    expect(model.weights['head/hidden/kernel']!.shape).toEqual([784, 128]);
    expect(() => model.encoder('conv1')).toThrow(/expects a layer among \(none: widths is empty\), got 'conv1'/);
    model.dispose!();
  });

  it("a model's encoder(layer) shares its variables and gives its activations", () => {
    const model = createCnn(DEFAULTS, seed);
    const encoder = model.encoder('conv2');
    expect(Object.keys(encoder.weights)).toEqual(['conv1/kernel', 'conv1/bias', 'conv2/kernel', 'conv2/bias']);
    expect(encoder.weights['conv2/kernel']).toBe(model.weights['conv2/kernel']);
    expect([encoder.inputShape, encoder.outputShape]).toEqual([
      [28, 28, 1],
      [14, 14, 32],
    ]);
    const xs = digits(3);
    const [features, maps] = [encoder.encode(xs as tf.Tensor4D), model.activations(xs, 'conv2')];
    expect(Object.keys(maps)).toEqual(['conv1', 'conv2']);
    expect(Array.from(features.dataSync())).toEqual(Array.from(maps.conv2!.dataSync()));
    expect(() => model.encoder('conv4')).toThrow(/expects a layer among conv1, conv2, conv3, got 'conv4'. Did you mean 'conv1'\?/);
    tf.dispose([xs, features, ...Object.values(maps)]);
    model.dispose!();
  });

  it('refuses images of another shape, and an even kernel, saying what it expects', () => {
    const model = createCnn(DEFAULTS, seed);
    const wrong = tf.zeros([2, 32, 32, 3]);
    expect(() => model.predict(wrong)).toThrow(/expects images of shape \(n, 28, 28, 1\), got shape \[2,32,32,3\]/);
    wrong.dispose();
    model.dispose!();
    expect(() => createCnn({ ...DEFAULTS, kernelSize: 4 }, seed)).toThrow(/expects an odd integer/);
    expect(() => createCnn({ ...DEFAULTS, widths: [8, 8, 8, 8, 8, 8] }, seed)).toThrow(/large enough for 6 blocks/);
  });

  it('passes a gradient check with respect to its input', async () => {
    const model = createCnn({ ...DEFAULTS, widths: [4, 4], hidden: 8, height: 8, width: 8 }, seed);
    const labels = tf.oneHot(tf.tensor1d([3], 'int32'), 10);
    const xs = tf.randomUniform([1, 8, 8, 1], 0, 1, 'float32', 3);
    const result = await checkGradients((x) => model.loss({ inputs: x, targets: labels }, { training: false }).sum, [xs], {
      maxElementsPerInput: 32,
      epsilon: 1e-3,
    });
    expect(result.mismatches).toEqual([]);
    tf.dispose([labels, xs]);
    model.dispose!();
  });
});

describe('cnn-features encoders', () => {
  it('conv1, conv2, conv3 by name give (28, 28, 16), (14, 14, 32) and a (7, 7, 64) grid', async () => {
    const xs = digits(2);
    for (const [layer, shape] of [
      ['conv1', [28, 28, 16]],
      ['conv2', [14, 14, 32]],
      ['conv3', [7, 7, 64]],
    ] as const) {
      const encoder = await kit.createEncoder(`cnn-features/${layer}`);
      const features = encoder.encode(xs as tf.Tensor4D);
      expect(features.shape).toEqual([2, ...shape]);
      expect(encoder.outputShape).toEqual(shape);
      tf.dispose([features, ...Object.values(encoder.weights)]);
    }
    xs.dispose();
  });

  it('takes widths, kernelSize, seed and name; the same seed gives the same weights', async () => {
    const a = await kit.createEncoder('cnn-features/conv2', {
      widths: [8, 12],
      kernelSize: 5,
      seed: 7,
      name: 'captioner/cnn',
    });
    const b = await kit.createEncoder('cnn-features/conv2', {
      widths: [8, 12],
      kernelSize: 5,
      seed: 7,
      name: 'captioner/cnn',
    });
    expect(Object.fromEntries(Object.entries(a.weights).map(([k, v]) => [k, v.shape]))).toEqual({
      'captioner/cnn/conv1/kernel': [5, 5, 1, 8],
      'captioner/cnn/conv1/bias': [8],
      'captioner/cnn/conv2/kernel': [5, 5, 8, 12],
      'captioner/cnn/conv2/bias': [12],
    });
    expect(Array.from(a.weights['captioner/cnn/conv2/kernel']!.dataSync())).toEqual(
      Array.from(b.weights['captioner/cnn/conv2/kernel']!.dataSync()),
    );
    expect((a as CnnEncoder).receptiveField).toEqual({ size: 14, stride: 2, offset: -6 });
    tf.dispose([...Object.values(a.weights), ...Object.values(b.weights)]);
    await expect(kit.createEncoder('cnn-features/conv3', { widths: [8, 8] })).rejects.toThrow(/expects at least 3 widths/);
    // Checked by the registry against the encoder's option schema, as a model's config is.
    await expect(kit.createEncoder('cnn-features/conv1', { width: 0 })).rejects.toThrow(
      /^Option 'width' of encoder cnn-features\/conv1 expects an integer ≥ 1 and ≤ 4096 \(input image width \(MNIST: 28\)\), got 0\.$/,
    );
    await expect(kit.createEncoder('cnn-features/conv1', { kernelsize: 5 })).rejects.toThrow(
      /got unknown option 'kernelsize'\. Did you mean 'kernelSize'\?$/,
    );
    // A caller's inputShape stands in for a size left out, and is checked as the option would be.
    await expect(kit.createEncoder('cnn-features/conv1', { inputShape: [0, 28, 1] })).rejects.toThrow(
      /'height' of encoder cnn-features\/conv1 expects an integer ≥ 1/,
    );
  });
});

describeEachBackend(
  'cnn-features training step and encoder calls',
  () => {
    it('lower the loss and leave tf.memory().numTensors where they found it', async () => {
      const model = createCnn({ ...DEFAULTS, widths: [4, 8, 8], hidden: 16, dropout: 0.5 }, seed);
      const xs = digits(8);
      const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10);
      const optimizer = tf.train.adam(1e-2);
      let step = 0;
      const train = async () => {
        const loss = optimizer.minimize(
          () => tf.div(model.loss({ inputs: xs, targets: ys }, { training: true, seed: step++ }).sum, 8) as tf.Scalar,
          true,
        )!;
        const value = (await loss.data())[0]!;
        loss.dispose();
        return value;
      };
      const first = await train();
      const before = tf.memory().numTensors;
      let last = first;
      for (let i = 0; i < 15; i++) last = await train();
      for (const layer of model.layers) tf.dispose(model.encoder(layer).encode(xs as tf.Tensor4D));
      tf.dispose(Object.values(model.activations(xs)));
      tf.dispose(model.predict(xs));
      expect(tf.memory().numTensors).toBe(before);
      expect(last).toBeLessThan(first);
      optimizer.dispose();
      tf.dispose([xs, ys]);
      model.dispose!();
    });
  },
  { only: ['cpu', 'wasm', 'webgpu'] },
);
