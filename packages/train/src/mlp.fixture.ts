// A small multilayer perceptron and a synthetic two-class problem, for the trainer's own tests.
import * as tf from '@tensorflow/tfjs';
import { mulberry32, trainableVariable, type Examples, type SupervisedData, type TrainableModel } from '@nnkit/core';

export interface Mlp extends TrainableModel {
  readonly layers: readonly tf.Variable[];
}

/** 2 → hidden → 2 with tanh, softmax cross-entropy on one-hot labels; `poison` makes the loss NaN from that step on. */
export function mlp(seed: number, hidden = 8, options: { poisonAtCall?: number } = {}): Mlp {
  const init = (shape: number[], s: number) => trainableVariable(tf.randomNormal(shape, 0, 0.5, 'float32', s));
  const w1 = init([2, hidden], seed);
  const b1 = init([hidden], seed + 1);
  const w2 = init([hidden, 2], seed + 2);
  let calls = 0;
  const logits = (xs: tf.Tensor) => tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(xs, w1), b1)), w2), 0);
  return {
    layers: [w1, b1, w2],
    trainableWeights: [w1, b1, w2],
    predict: (xs) => tf.tidy(() => tf.softmax(logits(xs))),
    loss: (xs, ys, { training }) => {
      if (training) calls++;
      const loss = tf.losses.softmaxCrossEntropy(ys, logits(xs)) as tf.Scalar;
      return options.poisonAtCall !== undefined && calls >= options.poisonAtCall ? (tf.mul(loss, NaN) as tf.Scalar) : loss;
    },
    metrics: (xs, ys) => ({ accuracy: tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits(xs), 1), tf.argMax(ys, 1)), 'float32')) as tf.Scalar) }),
    dispose: () => tf.dispose([w1, b1, w2]),
  };
}

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

export async function weightValues(model: TrainableModel): Promise<number[][]> {
  return Promise.all(model.trainableWeights.map(async (w) => Array.from(await w.data())));
}
