import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, DataError, type TrainableModel } from '@nnkit/core';
import { toMnistDigit } from '@nnkit/datasets';
import { loadModel } from '@nnkit/train';
import { readPng } from '@nnkit/viz';
import type { Command } from '../command.js';

export const predictCommand: Command = {
  name: 'predict',
  usage: 'predict <model-dir> <digit.png> [more.png …]',
  summary: 'classify pictures of handwritten digits with a saved digit model (LeNet-5)',
  positionals: { min: 2, max: 1000 },
  async run({ positionals, kit: makeKit, print }) {
    const kit = await makeKit();
    const { instance, metadata } = await loadModel<TrainableModel>(kit, resolve(positionals[0]!));
    try {
      const predict = instance.model.predict?.bind(instance.model);
      if (!predict) throw new ConfigError(`predict expects a saved digit classifier (such as lenet5/lenet5), got ${metadata.model}, which has no predict(). For language models use nnkit sample.`);
      const results: { file: string; digit: number; probability: number; top3: { digit: number; probability: number }[] }[] = [];
      for (const file of positionals.slice(1)) {
        let image;
        try {
          image = readPng(file);
        } catch (error) {
          throw new DataError((error as Error).message, { cause: error });
        }
        const digit = toMnistDigit(image.grey, image.width, image.height);
        const probabilities = tf.tidy(() => Array.from(predict(tf.tensor4d(digit, [1, 28, 28, 1])).dataSync()));
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
