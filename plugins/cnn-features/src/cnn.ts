import * as tf from '@tensorflow/tfjs';
import {
  ConfigError,
  field,
  type Batch,
  type ConfigOf,
  type Field,
  type ImageEncoder,
  type TrainableModel,
  type WeightMap,
} from '@nnkit/core';
import { dropoutField, fanInUniform, requireTensors, trainableVariable } from '@nnkit/ops';
import { convStack, type ConvStack } from './blocks.js';
import type { ReceptiveField } from './geometry.js';

export const CNN_CONFIG = {
  // integerList has no upper bound: a width of 10^9 would reach tfjs as "Invalid typed array length".
  widths: {
    type: 'integer[] (each ≥ 1 and ≤ 8192, at most 16 of them)',
    default: [16, 32, 64],
    description: 'channels of conv1, conv2, conv3, … (one conv → ReLU → 2×2 max-pool block each); [] leaves an MLP on the raw pixels',
    check: (value) =>
      Array.isArray(value) && value.length <= 16 && value.every((v) => Number.isInteger(v) && v >= 1 && v <= 8192)
        ? undefined
        : 'an integer[] (each ≥ 1 and ≤ 8192, at most 16 of them)',
  } satisfies Field<number[]>,
  kernelSize: field.integer({
    default: 3,
    min: 1,
    max: 9,
    description: 'side of every convolution kernel (odd: 3 or 5)',
  }),
  hidden: field.integer({
    default: 128,
    min: 0,
    max: 8192,
    description: "units of the MLP head's hidden ReLU layer (0: softmax regression on the features)",
  }),
  dropout: dropoutField("dropout on the head's hidden layer while training"),
  height: field.integer({ default: 28, min: 1, max: 4096, description: 'input image height (MNIST: 28)' }),
  width: field.integer({ default: 28, min: 1, max: 4096, description: 'input image width (MNIST: 28)' }),
  channels: field.integer({ default: 1, min: 1, max: 4, description: 'input image channels (grey: 1, colour: 3)' }),
  classes: field.integer({ default: 10, min: 2, max: 65_536, description: 'output classes' }),
};

export type CnnConfig = ConfigOf<typeof CNN_CONFIG>;

/** An image encoder that knows where its units look: `cnn-features/conv3`, or a trained model's `encoder('conv3')`. */
export interface CnnEncoder extends ImageEncoder {
  /** The layer it ends at (`conv3`). */
  readonly layer: string;
  /** (height, width, channels) of its feature map. */
  readonly outputShape: readonly [number, number, number];
  /** Where a unit of its map looks in the input, computed from the kernels, paddings and poolings below it. */
  readonly receptiveField: ReceptiveField;
}

/** The stacked CNN: conv blocks, then an MLP head on the last block's pooled map. */
export interface CnnFeatures extends TrainableModel {
  readonly config: CnnConfig;
  /** `conv1`, `conv2`, `conv3` (one per width). */
  readonly layers: readonly string[];
  /** Class probabilities (n, classes). */
  predict(images: tf.Tensor): tf.Tensor2D;
  /** Each conv layer's ReLU map (before pooling), up to `last` (default all), by layer name. The caller disposes them. */
  activations(images: tf.Tensor, last?: string): Record<string, tf.Tensor4D>;
  /**
   * The blocks up to `layer` as an image encoder that shares this model's variables (named as the model names them:
   * `conv1/kernel`, …), so that a trained model's features serve a captioner or a visualization. Not to be disposed
   * on its own: the model owns the variables.
   */
  encoder(layer: string): CnnEncoder;
  receptiveField(layer: string): ReceptiveField;
}

/** An encoder over the first blocks of `stack`, ending at `layer`. */
export function stackEncoder(stack: ConvStack, layer: string, weights: WeightMap = stack.weights): CnnEncoder {
  const index = stack.indexOf(layer);
  const used = Object.fromEntries(
    Object.entries(weights).filter(([name]) => {
      const block = /(?:^|\/)conv(\d+)\/(?:kernel|bias)$/.exec(name);
      return block !== null && Number(block[1]) <= index + 1;
    }),
  );
  return {
    layer,
    inputShape: stack.shape.inputShape,
    outputShape: stack.outputShapes[index]!,
    receptiveField: stack.receptiveFields[index]!,
    encode: (images) => tf.tidy(() => stack.run(images, index + 1).maps[index]!),
    weights: used,
  };
}

/**
 * The lecture's "deep convolutional layers learn complex representations that can be used as features for
 * classification with MLP": conv blocks (conv1, conv2, conv3) and an MLP head (hidden ReLU layer, dropout, softmax)
 * on the last block's pooled map. `seed(label)` gives each variable's seed.
 */
export function createCnn(config: CnnConfig, seed: (label: string) => number): CnnFeatures {
  if (config.kernelSize % 2 === 0) {
    throw new ConfigError(
      `Config key 'kernelSize' of model 'cnn-features/cnn' expects an odd integer (3 or 5), got ${config.kernelSize}: 'same' padding centres only an odd kernel on its pixel.`,
      'kernelSize',
    );
  }
  const owner = "model 'cnn-features/cnn'";
  const stack = convStack(
    {
      inputShape: [config.height, config.width, config.channels],
      widths: config.widths,
      kernelSize: config.kernelSize,
    },
    seed,
    owner,
  );
  const [ph, pw, pc] = stack.pooledShape;
  const features = ph * pw * pc; // what the head reads: conv3 pooled, (3·3·64 = 576) for 16-32-64 on 28×28
  const head: Record<string, tf.Variable> = {};
  if (config.hidden > 0) {
    head['head/hidden/kernel'] = fanInUniform([features, config.hidden], features, 6, seed('head/hidden/kernel'));
    head['head/hidden/bias'] = trainableVariable(tf.zeros([config.hidden]));
  }
  const last = config.hidden > 0 ? config.hidden : features;
  head['head/output/kernel'] = fanInUniform([last, config.classes], last, 3, seed('head/output/kernel'));
  head['head/output/bias'] = trainableVariable(tf.zeros([config.classes]));
  const weights: WeightMap = { ...stack.weights, ...head };

  /** Logits (n, classes); dropout only while training, seeded so that a resumed run repeats it. */
  const logits = (images: tf.Tensor, training = false, dropSeed?: number): tf.Tensor2D => {
    let x: tf.Tensor2D = tf.reshape(stack.run(images).pooled, [-1, features]);
    if (config.hidden > 0) {
      x = tf.fused.matMul({
        a: x,
        b: head['head/hidden/kernel'] as tf.Tensor2D,
        bias: head['head/hidden/bias'],
        activation: 'relu',
      }) as tf.Tensor2D; // (n, hidden)
      if (training && config.dropout > 0) x = tf.dropout(x, config.dropout, undefined, dropSeed) as tf.Tensor2D;
    }
    return tf.fused.matMul({
      a: x,
      b: head['head/output/kernel'] as tf.Tensor2D,
      bias: head['head/output/bias'],
    }) as tf.Tensor2D; // (n, classes)
  };

  return {
    config,
    layers: stack.layers,
    weights,
    predict: (images) => tf.tidy(() => tf.softmax(logits(images))),
    activations(images, lastLayer) {
      const count = lastLayer === undefined ? stack.layers.length : stack.indexOf(lastLayer) + 1;
      const maps = tf.tidy(() => stack.run(images, count).maps);
      return Object.fromEntries(maps.map((map, i) => [stack.layers[i]!, map]));
    },
    encoder: (layer) => stackEncoder(stack, layer),
    receptiveField: (layer) => stack.receptiveFields[stack.indexOf(layer)]!,
    // Sums over the batch, weighted by its size: the trainer and evaluate divide once, so means are exact.
    loss(batch: Batch, { training, seed: stepSeed }) {
      const { inputs, targets } = requireTensors(batch, ['inputs', 'targets'], 'cnn-features/cnn');
      const sum = tf.losses.softmaxCrossEntropy(
        targets,
        logits(inputs, training, stepSeed),
        undefined,
        undefined,
        tf.Reduction.SUM,
      ) as tf.Scalar;
      return { sum, weight: inputs.shape[0]! };
    },
    metrics(batch: Batch) {
      const { inputs, targets } = requireTensors(batch, ['inputs', 'targets'], 'cnn-features/cnn');
      const correct = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits(inputs), 1), tf.argMax(targets, 1)), 'float32')) as tf.Scalar);
      return { accuracy: { sum: correct, weight: inputs.shape[0]! } };
    },
    dispose: () => tf.dispose(Object.values(weights)),
  };
}
