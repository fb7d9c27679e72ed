import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, type Kit } from '@nnkit/core';
import { toMnistDigit } from '@nnkit/datasets';
import type { GreyImage } from '@nnkit/viz';
import { taskKeyOf } from '../data-kinds.js';
import { defineCommand } from '../define-command.js';
import { asInk, readPicture } from '../picture.js';
import { withSavedModel, type SavedModel } from '../saved-model.js';

/** Pictures per call: each is classified in turn, so this bounds the work of one call. */
const MAX_PICTURES = 999;

/** (height, width, channels) of the images a model takes. */
type ImageShape = readonly [number, number, number];

/** MNIST's digits: a picture for a model of this shape is prepared as MNIST's were (any size, centred by mass). */
const MNIST_SHAPE: ImageShape = [28, 28, 1];

interface Classifier {
  readonly predict: (images: tf.Tensor4D) => tf.Tensor;
  readonly shape: ImageShape;
}

export const predictCommand = defineCommand({
  usage: 'predict <model-dir> <digit.png> [more.png …]',
  summary: `classify pictures of handwritten digits (PNG, at most ${MAX_PICTURES} at once) with a saved digit model (LeNet-5)`,
  positionals: { min: 2, max: MAX_PICTURES + 1 },
  async run({ positionals, kit: makeKit, print }) {
    const kit = await makeKit();
    const dir = resolve(positionals[0]!);
    await withSavedModel(
      kit,
      dir,
      (saved) => asClassifier(kit, saved),
      async ({ predict, shape }, { metadata }) => {
        const [height, width, channels] = shape;
        const results: {
          file: string;
          digit: number;
          probability: number;
          top3: { digit: number; probability: number }[];
        }[] = [];
        for (const file of positionals.slice(1)) {
          const pixels = inputOf(readPicture(file), shape, `${metadata.model} in ${dir}`, file);
          const probabilities = tf.tidy(() => Array.from(predict(tf.tensor4d(pixels, [1, height, width, channels])).dataSync()));
          const ranked = probabilities.map((p, d) => ({ digit: d, probability: p })).sort((a, b) => b.probability - a.probability);
          results.push({
            file,
            digit: ranked[0]!.digit,
            probability: ranked[0]!.probability,
            top3: ranked.slice(0, 3),
          });
        }
        print(results, () =>
          results
            .map(
              (r) =>
                `${r.file}: ${r.digit}  (p ${r.probability.toFixed(3)}; then ${r.top3
                  .slice(1)
                  .map((t) => `${t.digit} ${t.probability.toFixed(3)}`)
                  .join(', ')})`,
            )
            .join('\n'),
        );
      },
    );
  },
});

/** What to use instead of predict for a model of another built-in task. */
const COMMAND_FOR_TASK: Readonly<Record<string, string>> = {
  'tasks/sequence-pairs': 'a translator: use nnkit translate',
  'tasks/captioned-images': 'a captioner: use nnkit caption',
  'tasks/speech-transcripts': 'a speech recognizer: use nnkit transcribe',
  'tasks/token-streams': 'a language model: use nnkit sample',
};

/**
 * The saved model as a classifier of grey pictures with the shape it was made for, or a refusal naming the command
 * its kind needs (a language model has a predict() too, over token ids: the kind of data it takes decides, then the
 * method).
 */
function asClassifier(kit: Kit, { instance, metadata }: SavedModel): Classifier {
  const { model } = instance;
  const task = taskKeyOf(kit.registry.models.has(metadata.model) ? kit.registry.models.get(metadata.model) : undefined);
  const predict = model.predict?.bind(model);
  if (task !== 'tasks/labelled-images' || !predict) {
    const instead = COMMAND_FOR_TASK[task] ?? (task === 'tasks/labelled-images' ? 'which has no predict()' : `which learns ${task}`);
    throw new ConfigError(`predict expects a saved digit classifier (such as lenet5/lenet5), got ${metadata.model}, ${instead}.`);
  }
  const shape = imageShapeOf(instance.config, model);
  if (shape[2] !== 1) {
    throw new ConfigError(
      `predict expects a model of grey pictures (1 channel: PNGs are read as grey levels), got ${metadata.model} made for ${shape.join('×')} images. Use nnkit eval on its dataset.`,
    );
  }
  return { predict: predict as Classifier['predict'], shape };
}

/**
 * The (height, width, channels) of the images a saved model takes: from its config where it has them (cnn-features'
 * height, width, channels), else from the model's `inputShape` (an image encoder's), else LeNet-5's 28×28×1.
 */
function imageShapeOf(config: Readonly<Record<string, unknown>>, model: unknown): ImageShape {
  const { height, width, channels } = config;
  if (typeof height === 'number' && typeof width === 'number') return [height, width, typeof channels === 'number' ? channels : 1];
  const shape = (model as { inputShape?: unknown }).inputShape;
  if (Array.isArray(shape) && shape.length === 3 && shape.every((n) => typeof n === 'number')) return shape as unknown as ImageShape;
  return MNIST_SHAPE;
}

/**
 * The picture as the model's input: for a 28×28 grey model prepared as MNIST's digits were (any size: the digit is
 * centred by mass in a 20×20 box); for any other shape taken as it is (light ink on dark, as the datasets draw theirs), so it must be that size.
 */
function inputOf(image: GreyImage, [height, width]: ImageShape, model: string, file: string): Float32Array {
  if (height === MNIST_SHAPE[0] && width === MNIST_SHAPE[1]) return toMnistDigit(image.grey, image.width, image.height);
  if (image.width !== width || image.height !== height) {
    throw new ShapeError(
      `${model} expects a ${width}×${height} picture (width × height), got ${image.width}×${image.height} in ${file}. Resize or pad it to ${width}×${height}.`,
    );
  }
  return asInk(image).pixels;
}
