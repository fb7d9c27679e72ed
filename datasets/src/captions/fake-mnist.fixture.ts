import type { MnistDigits } from './digit-source.js';

/**
 * MNIST-shaped files (60,000 training and 10,000 test digits) whose every digit is a solid rectangle of one grey
 * level: `trainInk` for training digits 0–54,999, `validationInk` for 55,000–59,999, `testInk` for the test file.
 * A rectangle fills its ink box, so it resamples to that grey level everywhere: every lit pixel of an image tells
 * which part of MNIST its digit came from. Digit i has label i % 10 and a width of 6 + i % 15 px (20 px tall).
 */
export function fakeMnist(trainInk = 255, validationInk = 200, testInk = 120): MnistDigits {
  const make = (count: number, ink: (i: number) => number) => {
    const pixels = new Uint8Array(count * 784);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      labels[i] = i % 10;
      const width = 6 + (i % 15);
      const left = 14 - Math.floor(width / 2);
      for (let y = 4; y < 24; y++) pixels.fill(ink(i), i * 784 + y * 28 + left, i * 784 + y * 28 + left + width);
    }
    return { pixels, labels, count };
  };
  return { train: make(60_000, (i) => (i < 55_000 ? trainInk : validationInk)), test: make(10_000, () => testInk) };
}

/** The distinct non-zero values of `pixels`, rounded to 1e-5. */
export function litValues(pixels: Float32Array): number[] {
  const values = new Set<number>();
  for (const v of pixels) if (v !== 0) values.add(Math.round(v * 1e5) / 1e5);
  return [...values].sort((a, b) => a - b);
}
