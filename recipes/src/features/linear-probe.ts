import * as tf from '@tensorflow/tfjs';
import { type Batch, type Examples, type ImageEncoder, type ProgressReporter, type TrainableModel } from '@nnkit/core';
import { requireTensors, trainableVariable } from '@nnkit/ops';
import { evaluate, train } from '@nnkit/train';
import { encodeMap } from './maps.js';

/**
 * A layer's features as a probe reads them: the map max-pooled 2×2 (what the next block reads; a quarter of the
 * values) and flattened, (n, d). No encoder: the raw pixels, flattened. Encoded `batchSize` images at a time.
 */
export function probeFeatures(encoder: ImageEncoder | undefined, images: tf.Tensor4D, batchSize = 250): tf.Tensor2D {
  const n = images.shape[0];
  const parts: tf.Tensor2D[] = [];
  for (let start = 0; start < n; start += batchSize) {
    parts.push(
      tf.tidy(() => {
        const batch = tf.slice(images, start, Math.min(batchSize, n - start));
        if (!encoder) return tf.reshape(batch, [batch.shape[0], -1]) as tf.Tensor2D;
        const map = encodeMap(encoder, batch);
        const pooled = map.shape[1] >= 2 && map.shape[2] >= 2 ? tf.maxPool(map, 2, 2, 'valid') : map;
        return tf.reshape(pooled, [pooled.shape[0], -1]) as tf.Tensor2D;
      }),
    );
  }
  const features = tf.concat(parts);
  tf.dispose(parts);
  return features;
}

/** Softmax regression on (n, d) features: logits = x W + b. */
function softmaxRegression(dimensions: number, classes: number): TrainableModel {
  const kernel = trainableVariable(tf.zeros([dimensions, classes])); // the problem is convex: zeros are a fine start
  const bias = trainableVariable(tf.zeros([classes]));
  const logits = (x: tf.Tensor) => tf.add(tf.matMul(x as tf.Tensor2D, kernel), bias);
  return {
    weights: { 'probe/kernel': kernel, 'probe/bias': bias },
    loss: (batch: Batch) => {
      const { inputs, targets } = requireTensors(batch, ['inputs', 'targets'], 'linear probe');
      return {
        sum: tf.losses.softmaxCrossEntropy(targets, logits(inputs), undefined, undefined, tf.Reduction.SUM) as tf.Scalar,
        weight: inputs.shape[0]!,
      };
    },
    metrics: (batch: Batch) => {
      const { inputs, targets } = requireTensors(batch, ['inputs', 'targets'], 'linear probe');
      return {
        accuracy: {
          sum: tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits(inputs), 1), tf.argMax(targets, 1)), 'float32')) as tf.Scalar),
          weight: inputs.shape[0]!,
        },
      };
    },
    dispose: () => tf.dispose([kernel, bias]),
  };
}

export interface ProbeOptions {
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  readonly seed?: number;
  readonly progress?: ProgressReporter;
  readonly label?: string;
}

/**
 * How linearly separable a layer's features are (Alain & Bengio 2016, "linear classifier probes"): softmax
 * regression trained on frozen features (each dimension standardized with the training set's mean and deviation),
 * measured on the test features. Returns the test accuracy and the number of features.
 */
export async function linearProbe(
  trainSet: Examples,
  testSet: Examples,
  options: ProbeOptions = {},
): Promise<{ accuracy: number; dimensions: number }> {
  const { epochs = 10, batchSize = 128, learningRate = 3e-3, seed = 1 } = options;
  const dimensions = trainSet.xs.shape[1]!;
  const [mean, deviation] = tf.tidy(() => {
    const moments = tf.moments(trainSet.xs, 0);
    return [moments.mean, tf.add(tf.sqrt(moments.variance), 1e-6)];
  });
  const standardize = (xs: tf.Tensor) => tf.tidy(() => tf.div(tf.sub(xs, mean!), deviation!));
  const [trainXs, testXs] = [standardize(trainSet.xs), standardize(testSet.xs)];
  const model = softmaxRegression(dimensions, trainSet.ys.shape[1]!);
  try {
    await train({
      model,
      data: { xs: trainXs, ys: trainSet.ys },
      epochs,
      batchSize,
      seed,
      optimizer: { name: 'adam', learningRate },
      ...(options.progress && { progress: options.progress }),
      ...(options.label && { label: options.label }),
    });
    const { accuracy } = await evaluate(model, { xs: testXs, ys: testSet.ys });
    return { accuracy: accuracy!, dimensions };
  } finally {
    model.dispose!();
    tf.dispose([mean!, deviation!, trainXs, testXs]);
  }
}
