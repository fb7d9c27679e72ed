import * as tf from '@tensorflow/tfjs';
import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { trainableVariable } from '@nnkit/ops';

/** Quadrant words of the toy scenes: ids 4–7 after <pad> <s> </s> <unk>. */
export const QUADRANTS = ['top-left', 'top-right', 'bottom-left', 'bottom-right'] as const;
export const TOY_VOCABULARY = 4 + QUADRANTS.length;

/** A small captioner over the toy encoder's 2×2 grid of the 16×16 toy scenes: what the captioner's tests train and pin. */
export const TOY_CONFIG = {
  vocabularySize: TOY_VOCABULARY,
  imageHeight: 16,
  imageWidth: 16,
  encoder: 'toy/patches',
  units: 16,
  embedding: 8,
  attentionUnits: 8,
};

/**
 * A third party's encoder, as a plugin that nnkit has never seen would bring it: `toy/patches` averages the 16×16
 * image over 8×8 patches (a 2×2 grid) and maps each patch's mean to 4 features with a trained kernel (linear: a ReLU here could die and blind the captioner).
 */
export function toyEncoderPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: 'nnkit-plugin-toy-encoder', version: '0.1.0', namespace: 'toy', nnkit: '^2.0.0' },
    encoders: [
      {
        name: 'patches',
        description: '16×16×1 → 2×2 grid of 4 features: patch means through a dense map',
        create(options) {
          const prefix = typeof options.name === 'string' ? options.name : 'toy';
          const kernel = trainableVariable(tf.randomUniform([1, 4], 0.5, 1.5, 'float32', 7));
          return {
            inputShape: [16, 16, 1],
            outputShape: [2, 2, 4],
            weights: { [`${prefix}/kernel`]: kernel },
            encode: (images) => tf.tidy(() => tf.conv2d(tf.avgPool(images, 8, 8, 'valid'), tf.reshape(kernel, [1, 1, 1, 4]), 1, 'valid')),
          };
        },
      },
    ],
  });
}

/**
 * Toy scenes: a bright 8×8 square in one or two quadrants of a 16×16 image, captioned with the quadrants' words in
 * reading order (ids), so that a captioner must look at where the squares are.
 */
export function toyScenes(count: number, seed = 1): { images: tf.Tensor4D; captions: number[][] } {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pixels = new Float32Array(count * 256);
  const captions: number[][] = [];
  for (let n = 0; n < count; n++) {
    const first = Math.floor(random() * 4);
    const second = random() < 0.5 ? first : Math.floor(random() * 4);
    const quadrants = [...new Set([first, second])].sort();
    for (const q of quadrants) {
      const [top, left] = [q >= 2 ? 8 : 0, q % 2 === 1 ? 8 : 0];
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) pixels[n * 256 + (top + y) * 16 + left + x] = 1;
    }
    captions.push(quadrants.map((q) => 4 + q));
  }
  return { images: tf.tensor4d(pixels, [count, 16, 16, 1]), captions };
}
