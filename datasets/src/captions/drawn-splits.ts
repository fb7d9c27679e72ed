import { field, mulberry32, seededRandom, type CaptionedImages, type ConfigSchema, type ImageCaptionCorpus } from '@nnkit/core';
import { digitPool, type CaptionSplit, type DigitPool, type MnistDigits } from './digit-source.js';

/** What every dataset of pictures drawn from MNIST digits takes: how many of each split, and the seed. */
export interface DrawnSplitOptions {
  /** Training pictures. */
  readonly train?: number;
  /** Validation pictures. */
  readonly validation?: number;
  /** Test pictures. */
  readonly test?: number;
  /** Each split draws from its own stream of this seed, so a split does not change with the others' sizes. Default 1. */
  readonly seed?: number;
}

/** Default and largest count of a split. */
interface SplitSize {
  readonly default: number;
  readonly most: number;
}

/**
 * The schema of DrawnSplitOptions. Every picture is held in memory at once, so a count is an allocation: the largest
 * counts are refused by the schema, before anything is drawn (1e9 scenes once asked for a 12.5 TB typed array).
 * `pictures` names them in descriptions ('lines'); `size` is one picture's pixels ('24.5 KB').
 */
export function drawnSplitOptions(pictures: string, size: string, splits: Readonly<Record<CaptionSplit, SplitSize>>): ConfigSchema {
  return {
    train: field.integer({
      default: splits.train.default,
      min: 1,
      max: splits.train.most,
      description: `the number of training ${pictures}, ${size} of pixels each`,
    }),
    validation: field.integer({
      default: splits.validation.default,
      min: 0,
      max: splits.validation.most,
      description: `the number of validation ${pictures}`,
    }),
    test: field.integer({
      default: splits.test.default,
      min: 0,
      max: splits.test.most,
      description: `the number of test ${pictures}`,
    }),
    seed: field.integer({ default: 1, min: 0, description: 'each split draws from its own stream of this seed' }),
  };
}

/** One split drawn: its pictures with their captions, and what the dataset keeps about each picture (spans, scenes). */
export interface DrawnSplit<About> {
  readonly images: CaptionedImages;
  readonly about: readonly About[];
}

/** Draws one picture into `canvas` (zeros, `area` pixels) and returns its caption's ids and what to keep about it. */
export type DrawPicture<About> = (random: () => number, pool: DigitPool, canvas: Float32Array) => { caption: number[]; about: About };

/**
 * Every split of a drawn dataset: `counts[split]` pictures of `area` pixels each, drawn in turn from the split's own
 * random stream (`<name>/<split>` of `seed`) and its own digits (training digits 0–54,999 for train, 55,000–59,999 for
 * validation, the MNIST test digits for test).
 */
export function drawSplits<About>(
  mnist: MnistDigits,
  { name, seed, counts, area }: { name: string; seed: number; counts: Readonly<Record<CaptionSplit, number>>; area: number },
  draw: DrawPicture<About>,
): Record<CaptionSplit, DrawnSplit<About>> {
  const split = (which: CaptionSplit): DrawnSplit<About> => {
    const random = mulberry32(seededRandom(seed).derive(`${name}/${which}`));
    const pool = digitPool(mnist, which);
    const count = counts[which];
    const pixels = new Float32Array(count * area);
    const captions: number[][] = [];
    const about: About[] = [];
    for (let i = 0; i < count; i++) {
      const drawn = draw(random, pool, pixels.subarray(i * area, (i + 1) * area));
      captions.push(drawn.caption);
      about.push(drawn.about);
    }
    return { images: { count, pixels, captions }, about };
  };
  return { train: split('train'), validation: split('validation'), test: split('test') };
}

/**
 * The corpus of drawn splits, as the captioning task takes it, with what was kept about each picture by split under
 * `key` (a digit-lines corpus's `spans`, a digit-scenes corpus's `scenes`).
 */
export function drawnCorpus<About, K extends string>(
  splits: Readonly<Record<CaptionSplit, DrawnSplit<About>>>,
  described: Pick<ImageCaptionCorpus, 'imageShape' | 'vocabulary' | 'separator'>,
  key: K,
): ImageCaptionCorpus & { readonly [k in K]: Readonly<Record<CaptionSplit, readonly About[]>> } {
  const about = { train: splits.train.about, validation: splits.validation.about, test: splits.test.about };
  return {
    kind: 'image-captions',
    ...described,
    train: splits.train.images,
    validation: splits.validation.images,
    test: splits.test.images,
    [key]: about,
  } as ImageCaptionCorpus & {
    readonly [k in K]: Readonly<Record<CaptionSplit, readonly About[]>>;
  };
}
