// Deliberately broken contributions, one fault each, for the negative tests (broken-suites.test.ts): the conformance
// suites must fail on every one of them, with a message that names the fault. Not part of the published package.
import * as tf from '@tensorflow/tfjs';
import {
  defineModel,
  definePlugin,
  field,
  mulberry32,
  type CellDefinition,
  type DatasetDefinition,
  type NnkitPlugin,
  type SupervisedData,
  type TrainableModel,
} from '@nnkit/core';
import { prefixWeights, trainableVariable, withContext } from '@nnkit/ops';
import { currentCoreMeta } from './current-core-meta.js';

export const BROKEN_NAMESPACE = 'broken';

/** The faults a cell or a model is given: it keeps a tensor alive, its gradient is twice autodiff's, it frees what it was handed. */
export const MODEL_FAULTS = ['leaks', 'wrong-gradient', 'disposes-input'] as const;
export type ModelFault = (typeof MODEL_FAULTS)[number];

/** The faults a dataset is given: dispose() misses a tensor, loads share tensors that one dispose() frees, each load differs. */
export const DATASET_FAULTS = ['leaks', 'shares-tensors', 'unseeded'] as const;
export type DatasetFault = (typeof DATASET_FAULTS)[number];

/** The identity whose gradient is twice the true one: a custom op with a wrong backward pass. */
const doubledGradient = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.mul(dy, 2),
})) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor) => tf.Tensor;

/** `x` passed through the fault: an extra tensor kept past tf.tidy, a doubled gradient, or `input` disposed. */
function withFault<T extends tf.Tensor>(fault: ModelFault, x: T, input: tf.Tensor): T {
  if (fault === 'leaks') tf.keep(tf.mul(x, 1)); // survives every tf.tidy: one tensor more per call
  if (fault === 'wrong-gradient') return doubledGradient(x) as T;
  if (fault === 'disposes-input') input.dispose();
  return x;
}

/** A simple tanh RNN cell, s' = tanh([x, context] U + s W + b), with one fault in its step. */
function brokenCell(fault: ModelFault): CellDefinition {
  return {
    name: `cell-that-${fault}`,
    description: `a tanh RNN cell that ${fault} (a negative-test fixture)`,
    create({ inputSize, units, seed, name = 'cell', contextSize = 0 }) {
      const random = mulberry32(seed ?? 1);
      const uniform = (shape: number[]) =>
        tf.tensor(
          Array.from({ length: shape.reduce((a, b) => a * b) }, () => random() - 0.5),
          shape,
        );
      const [input, recurrent] = [trainableVariable(uniform([inputSize + contextSize, units])), trainableVariable(uniform([units, units]))];
      const bias = trainableVariable(tf.zeros([units]));
      const owner = `${BROKEN_NAMESPACE}/cell-that-${fault} cell '${name}'`;
      /** One step of the tanh RNN, the fault applied to its output. */
      const faultyStep = (x: tf.Tensor2D, s: tf.Tensor2D, context: tf.Tensor2D | undefined) => {
        const joined = withContext(owner, contextSize, x, context);
        return withFault(fault, tf.tanh(tf.add(tf.add(tf.matMul(joined, input), tf.matMul(s, recurrent)), bias)) as tf.Tensor2D, x);
      };
      const weights = prefixWeights(name, { input, recurrent, bias });
      return {
        units,
        stateSizes: [units],
        weights,
        step: (x, [s], options = {}) =>
          tf.tidy(() => {
            const output = faultyStep(x, s!, options.context);
            return { output, state: [output] };
          }),
      };
    },
  };
}

/** A dense classifier over tiny images (batch, 2, 2, 1) into two classes, with one fault in its loss. */
function brokenModel(fault: ModelFault) {
  return defineModel({
    name: `model-that-${fault}`,
    description: `a dense classifier that ${fault} (a negative-test fixture)`,
    config: { classes: field.integer({ default: 2, min: 2, description: 'classes' }) },
    training: {
      dataset: `${BROKEN_NAMESPACE}/tiny-images`,
      optimizer: { name: 'adam', learningRate: 1e-2 },
      batchSize: 4,
      epochs: 1,
    },
    create(config, { kit }): TrainableModel {
      const kernel = trainableVariable(tf.randomNormal([4, config.classes], 0, 0.5, 'float32', kit.random.derive('broken/kernel')));
      const bias = trainableVariable(tf.zeros([config.classes]));
      const logits = (inputs: tf.Tensor) => tf.add(tf.matMul(tf.reshape(inputs, [-1, 4]), kernel), bias) as tf.Tensor2D;
      return {
        weights: { kernel, bias },
        predict: (inputs) => tf.tidy(() => tf.softmax(logits(inputs))),
        loss: (batch) => ({
          sum: tf.tidy(
            () =>
              tf.losses.softmaxCrossEntropy(
                batch.targets!,
                withFault(fault, logits(batch.inputs!), batch.inputs!),
                undefined,
                0,
                tf.Reduction.SUM,
              ) as tf.Scalar,
          ),
          weight: batch.inputs!.shape[0]!,
        }),
        dispose: () => tf.dispose([kernel, bias]),
      };
    },
  });
}

/** `n` images (n, 2, 2, 1) of values in [−1, 1), labelled one-hot (n, 2) by the sign of their sum. */
function tinyImages(n: number, random: () => number): { xs: tf.Tensor; ys: tf.Tensor } {
  const values = Array.from({ length: n * 4 }, () => 2 * random() - 1);
  const labels = Array.from({ length: n }, (_, i) => (values.slice(4 * i, 4 * i + 4).reduce((a, b) => a + b) > 0 ? 1 : 0));
  return {
    xs: tf.tensor4d(values, [n, 2, 2, 1]),
    ys: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 2).toFloat()),
  };
}

/** The tiny images every broken model trains on: well behaved. */
const tinyImagesDataset: DatasetDefinition<SupervisedData> = {
  name: 'tiny-images',
  description: '2×2 images labelled by the sign of their sum',
  async load(options) {
    const train = tinyImages(Number(options.examples ?? 16), mulberry32(Number(options.seed ?? 1)));
    return { train, dispose: () => tf.dispose([train.xs, train.ys]) };
  },
};

let shared: { xs: tf.Tensor; ys: tf.Tensor } | undefined;

/** The tiny images, with one fault in load() or dispose(). */
function brokenDataset(fault: DatasetFault): DatasetDefinition<SupervisedData> {
  return {
    name: `dataset-that-${fault}`,
    description: `tiny images from a dataset that ${fault} (a negative-test fixture)`,
    async load() {
      if (fault === 'shares-tensors') {
        // One copy for every load, which each load's dispose() frees: the next load hands out disposed tensors.
        if (!shared || shared.xs.isDisposed) shared = tinyImages(8, mulberry32(1));
        const train = shared;
        return { train, dispose: () => tf.dispose([train.xs, train.ys]) };
      }
      const train = tinyImages(8, mulberry32(fault === 'unseeded' ? Date.now() + Math.random() * 1e6 : 1));
      const extra = fault === 'leaks' ? tf.zeros([1]) : undefined; // made, and never freed
      void extra;
      return { train, dispose: () => tf.dispose([train.xs, train.ys]) };
    },
  };
}

/** The broken cells, models and datasets, and the tiny images the models train on. */
export function brokenPlugin(): NnkitPlugin {
  return definePlugin({
    meta: currentCoreMeta('nnkit-plugin-broken', BROKEN_NAMESPACE),
    cells: MODEL_FAULTS.map(brokenCell),
    models: MODEL_FAULTS.map(brokenModel),
    datasets: [tinyImagesDataset, ...DATASET_FAULTS.map(brokenDataset)],
  });
}
