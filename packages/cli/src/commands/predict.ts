import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, DataError, type TrainableModel } from '@nnkit/core';
import { toMnistDigit } from '@nnkit/datasets';
import { loadModel } from '@nnkit/train';
import { readPng } from '@nnkit/viz';
import type { Command } from '../command.js';
import { modelDataKind } from '../data-kinds.js';

/** Pictures per call: each is classified in turn, so this bounds the work of one call. */
const MAX_PICTURES = 999;

export const predictCommand: Command = {
  name: 'predict',
  usage: 'predict <model-dir> <digit.png> [more.png …]',
  summary: `classify pictures of handwritten digits (PNG, at most ${MAX_PICTURES} at once) with a saved digit model (LeNet-5)`,
  positionals: { min: 2, max: MAX_PICTURES + 1 },
  async run({ positionals, kit: makeKit, print }) {
    const kit = await makeKit();
    const { instance, metadata } = await loadModel<TrainableModel>(kit, resolve(positionals[0]!));
    try {
      // A language model has a predict() too, over token ids: the kind of data it takes decides, then the method.
      const kind = modelDataKind(kit.registry.models.has(metadata.model) ? kit.registry.models.get(metadata.model) : undefined, instance.model);
      const predict = instance.model.predict?.bind(instance.model);
      if (kind !== 'examples' || !predict) {
        const instead = { 'sequence-pairs': 'a translator: use nnkit translate', 'image-captions': 'a captioner: use nnkit caption', text: 'a language model: use nnkit sample', examples: 'which has no predict()' }[kind];
        throw new ConfigError(`predict expects a saved digit classifier (such as lenet5/lenet5), got ${metadata.model}, ${instead}.`);
      }
      const [height, width, channels] = imageShapeOf(instance.config, instance.model);
      if (height !== 28 || width !== 28 || channels !== 1) {
        throw new ConfigError(
          `predict expects a model of 28×28 grey digits (pictures are prepared as MNIST's were), got ${metadata.model} made for ${height}×${width}×${channels} images. ` +
            `Use nnkit eval on its dataset, or train it with height 28, width 28, channels 1.`,
        );
      }
      const results: { file: string; digit: number; probability: number; top3: { digit: number; probability: number }[] }[] = [];
      for (const file of positionals.slice(1)) {
        let image;
        try {
          image = readPng(file);
        } catch (error) {
          throw new DataError((error as Error).message, { cause: error });
        }
        const digit = toMnistDigit(image.grey, image.width, image.height);
        const probabilities = tf.tidy(() => Array.from(predict(tf.tensor4d(digit, [1, height, width, channels])).dataSync()));
        const ranked = probabilities.map((p, d) => ({ digit: d, probability: p })).sort((a, b) => b.probability - a.probability);
        results.push({ file, digit: ranked[0]!.digit, probability: ranked[0]!.probability, top3: ranked.slice(0, 3) });
      }
      print(results, () =>
        results.map((r) => `${r.file}: ${r.digit}  (p ${r.probability.toFixed(3)}; then ${r.top3.slice(1).map((t) => `${t.digit} ${t.probability.toFixed(3)}`).join(', ')})`).join('\n'),
      );
    } finally {
      instance.model.dispose?.();
    }
  },
};

/**
 * The (height, width, channels) of the images a saved model takes: from its config where it has them (cnn-features'
 * height, width, channels), else from the model, else LeNet-5's 28×28×1.
 */
function imageShapeOf(config: Readonly<Record<string, unknown>>, model: unknown): [number, number, number] {
  const { height, width, channels } = config;
  if (typeof height === 'number' && typeof width === 'number') return [height, width, typeof channels === 'number' ? channels : 1];
  const shape = (model as { inputShape?: unknown }).inputShape;
  if (Array.isArray(shape) && shape.length === 3 && shape.every((n) => typeof n === 'number')) return shape as [number, number, number];
  return [28, 28, 1];
}
