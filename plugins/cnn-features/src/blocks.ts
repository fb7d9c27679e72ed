import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, closestNames, type WeightMap } from '@nnkit/core';
import { fanInUniform, relu, trainableVariable } from '@nnkit/ops';
import { blockReceptiveFields, type ReceptiveField } from './geometry.js';

/** One convolutional block's variables: a k×k kernel (k, k, in, out) and a bias (out). */
interface ConvBlock {
  readonly kernel: tf.Variable<tf.Rank.R4>;
  readonly bias: tf.Variable<tf.Rank.R1>;
}

/** What a stack of blocks reads and how it is built. */
export interface StackShape {
  /** (height, width, channels) of one input image. */
  readonly inputShape: readonly [number, number, number];
  /** Channels of conv1, conv2, …. */
  readonly widths: readonly number[];
  readonly kernelSize: number;
}

/** A stack of blocks, built: its layers' names, weights and shapes, and how to run it. */
export interface ConvStack {
  readonly shape: StackShape;
  /** `conv1`, `conv2`, …: one per width. */
  readonly layers: readonly string[];
  readonly weights: WeightMap;
  /** Each layer's feature map, without the batch dimension. */
  readonly outputShapes: readonly (readonly [number, number, number])[];
  /** The last block's pooled output (what a head reads), without the batch dimension. */
  readonly pooledShape: readonly [number, number, number];
  /** Each layer's receptive field, computed from the kernels, strides and paddings below it. */
  readonly receptiveFields: readonly ReceptiveField[];
  /** The 0-based index of `layer`, or a ConfigError that lists the layers and suggests the closest. */
  indexOf(layer: string): number;
  /**
   * Runs the first `count` blocks (default all): each block's ReLU map (n, h, w, c) and the last one pooled.
   * Call inside a tidy.
   */
  run(images: tf.Tensor, count?: number): { maps: tf.Tensor4D[]; pooled: tf.Tensor4D };
  /** Images of the shape the stack was built for, or a ShapeError that says which shape. */
  check(images: tf.Tensor | undefined): tf.Tensor4D;
}

/**
 * A stack of blocks conv k×k ('same' padding, stride 1) → ReLU → 2×2 max pooling, the shape of the lecture's
 * "conv1, conv2, conv3" (after Zeiler & Fergus 2014, whose network has the same kind of blocks). A layer's
 * features are its ReLU map before pooling: on 28×28 digits with widths 16-32-64, conv1 (28, 28, 16),
 * conv2 (14, 14, 32), conv3 (7, 7, 64); the head reads conv3 pooled, (3, 3, 64).
 *
 * `seed(label)` gives the seed of one variable; `owner` names the model or encoder in errors; `prefix` goes before
 * every weight's name (`encoder/` gives `encoder/conv1/kernel`).
 */
export function convStack(shape: StackShape, seed: (label: string) => number, owner: string, prefix = ''): ConvStack {
  const [height, width, channels] = shape.inputShape;
  const { widths, kernelSize } = shape;
  const blocks: ConvBlock[] = [];
  const outputShapes: [number, number, number][] = [];
  let [h, w, inChannels] = [height, width, channels];
  for (const [i, outChannels] of widths.entries()) {
    if (h < 2 || w < 2) {
      tf.dispose(blocks.flatMap((b) => [b.kernel, b.bias]));
      throw new ConfigError(
        `${owner} expects images large enough for ${widths.length} blocks of 2×2 pooling, got ${height}×${width}, which is ${h}×${w} at conv${i + 1}. Use fewer widths or larger images.`,
        'widths',
      );
    }
    const fanIn = kernelSize * kernelSize * inChannels;
    blocks.push({
      kernel: fanInUniform(
        [kernelSize, kernelSize, inChannels, outChannels],
        fanIn,
        6,
        seed(`conv${i + 1}/kernel`),
      ) as tf.Variable<tf.Rank.R4>,
      bias: trainableVariable(tf.zeros([outChannels])) as tf.Variable<tf.Rank.R1>,
    });
    outputShapes.push([h, w, outChannels]);
    [h, w, inChannels] = [Math.floor(h / 2), Math.floor(w / 2), outChannels];
  }
  const layers = widths.map((_, i) => `conv${i + 1}`);
  const weights: Record<string, tf.Variable> = {};
  for (const [i, { kernel, bias }] of blocks.entries()) {
    weights[`${prefix}conv${i + 1}/kernel`] = kernel;
    weights[`${prefix}conv${i + 1}/bias`] = bias;
  }
  const check = (images: tf.Tensor | undefined): tf.Tensor4D => {
    if (
      images === undefined ||
      images.rank !== 4 ||
      images.shape[1] !== height ||
      images.shape[2] !== width ||
      images.shape[3] !== channels
    ) {
      throw new ShapeError(
        `${owner} expects images of shape (n, ${height}, ${width}, ${channels}), got ${images === undefined ? 'no images' : `shape [${images.shape}]`}. ` +
          'Make the model or encoder with the height, width and channels of your images.',
      );
    }
    return images as tf.Tensor4D;
  };
  return {
    shape,
    layers,
    weights,
    outputShapes,
    pooledShape: [h, w, inChannels],
    receptiveFields: blockReceptiveFields(widths.length, kernelSize),
    indexOf(layer) {
      const index = layers.indexOf(layer);
      if (index >= 0) return index;
      const close = closestNames(layer, layers, 1);
      throw new ConfigError(
        `${owner} expects a layer among ${layers.join(', ') || '(none: widths is empty)'}, got '${layer}'.${close.length > 0 ? ` Did you mean '${close[0]}'?` : ''}`,
        'layer',
      );
    },
    run(images, count = blocks.length) {
      let x = check(images);
      const maps: tf.Tensor4D[] = [];
      for (const { kernel, bias } of blocks.slice(0, count)) {
        // Not tf.fused.conv2d: its gradient goes through tfjs-node's Step for the ReLU (six kernels, a tenth of the
        // captioner's training step) and always computes the input's gradient, even for the images. Plain ops compute
        // only the gradients asked for, and @nnkit/ops' relu takes TensorFlow's ReluGrad (one kernel) on the native backend.
        const map = relu(tf.add(tf.conv2d(x, kernel, 1, 'same'), bias)) as tf.Tensor4D; // (n, h, w, c)
        maps.push(map);
        x = tf.maxPool(map, 2, 2, 'valid'); // (n, ⌊h/2⌋, ⌊w/2⌋, c)
      }
      return { maps, pooled: x };
    },
    check,
  };
}
