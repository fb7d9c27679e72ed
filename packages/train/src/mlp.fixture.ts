// A small multilayer perceptron and a synthetic two-class problem, for the trainer's own tests.
import * as tf from '@tensorflow/tfjs';
import {
  ShapeError,
  defineModel,
  field,
  mulberry32,
  type Batch,
  type Examples,
  type SupervisedData,
  type TrainableModel,
  type WeightMap,
} from '@nnkit/core';
import { tidy, trainableVariable } from '@nnkit/ops';
import { accuracy } from './metrics.js';

export interface Mlp extends TrainableModel {
  /** (batch, 2) → class probabilities (batch, 2). */
  predict(inputs: tf.Tensor): tf.Tensor;
}

export const MLP_WEIGHTS = ['hidden/kernel', 'hidden/bias', 'output/kernel'] as const;

export interface MlpOptions {
  /** The training loss becomes NaN from this call of `loss` on (1-based), to test divergence. */
  readonly poisonAtCall?: number;
  /**
   * The order `weights` lists the same named variables in (default MLP_WEIGHTS). The variables are always made in
   * MLP_WEIGHTS order from the same seeds, so only the listing differs: what a file saved by another version of a
   * model, or a refactored one, looks like.
   */
  readonly order?: readonly string[];
  /** The model's own frozen weights (names or prefixes ending in '/'). */
  readonly frozen?: readonly string[];
}

/** 2 → hidden → 2 with tanh; the loss is the softmax cross-entropy summed over the batch, over the batch size. */
export function mlp(seed: number, hidden = 8, options: MlpOptions = {}): Mlp {
  const init = (shape: number[], s: number) => trainableVariable(tf.randomNormal(shape, 0, 0.5, 'float32', s));
  const made: Record<string, tf.Variable> = {
    'hidden/kernel': init([2, hidden], seed), // (2, hidden)
    'hidden/bias': init([hidden], seed + 1), // (hidden)
    'output/kernel': init([hidden, 2], seed + 2), // (hidden, 2)
  };
  const order = options.order ?? MLP_WEIGHTS;
  const weights: WeightMap = Object.fromEntries(order.map((name) => [name, made[name]!]));
  let calls = 0;
  /** (batch, 2) → logits (batch, 2) */
  const logits = (inputs: tf.Tensor) =>
    tf.matMul(tf.tanh(tf.add(tf.matMul(inputs, made['hidden/kernel']!), made['hidden/bias']!)), made['output/kernel']!);
  return {
    weights,
    ...(options.frozen && { frozen: options.frozen }),
    predict: (inputs) => tf.tidy(() => tf.softmax(logits(inputs))),
    loss(batch, { training }) {
      const { inputs, targets } = supervised(batch);
      if (training) calls++;
      const sum = tf.tidy(() => {
        const total = tf.losses.softmaxCrossEntropy(targets, logits(inputs), undefined, undefined, tf.Reduction.SUM) as tf.Scalar;
        return options.poisonAtCall !== undefined && calls >= options.poisonAtCall ? (tf.mul(total, NaN) as tf.Scalar) : total;
      });
      return { sum, weight: inputs.shape[0]! };
    },
    metrics(batch) {
      const { inputs, targets } = supervised(batch);
      return { accuracy: tidy(() => accuracy(logits(inputs), targets)) };
    },
    dispose: () => tf.dispose(Object.values(made)),
  };
}

function supervised(batch: Batch): { inputs: tf.Tensor; targets: tf.Tensor } {
  const { inputs, targets } = batch;
  if (!inputs || !targets) throw new ShapeError(`mlp expects a batch with inputs and targets, got ${Object.keys(batch).join(', ')}.`);
  return { inputs, targets };
}

/** The MLP as a plugin's model, seeded from the kit's random source: what the save and load tests put in their plugins. */
export const mlpModel = defineModel({
  name: 'mlp',
  description: 'a small MLP',
  config: { hidden: field.integer({ default: 8, min: 1, description: 'hidden units' }) },
  create: (c, { kit }) => mlp(kit.random.derive('mlp'), c.hidden),
});

/** Points inside the unit circle (class 0) or outside it (class 1), within [−2, 2]². */
function circles(n: number, seed: number): Examples {
  const random = mulberry32(seed);
  const points: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = random() * 4 - 2;
    const y = random() * 4 - 2;
    points.push(x, y);
    labels.push(x * x + y * y < 1.5 ? 0 : 1);
  }
  return tf.tidy(() => ({ xs: tf.tensor2d(points, [n, 2]), ys: tf.oneHot(tf.tensor1d(labels, 'int32'), 2) }));
}

export function circlesData(n = 200, seed = 1): SupervisedData {
  const train = circles(n, seed);
  const validation = circles(Math.floor(n / 2), seed + 1);
  return { train, validation, dispose: () => tf.dispose([train.xs, train.ys, validation.xs, validation.ys]) };
}

/** Every weight's values by name (compare with toEqual: bit-exact, whatever order the model lists them in). */
export async function weightValues(model: TrainableModel): Promise<Record<string, number[]>> {
  const entries = await Promise.all(Object.entries(model.weights).map(async ([name, w]) => [name, Array.from(await w.data())] as const));
  return Object.fromEntries(entries);
}
