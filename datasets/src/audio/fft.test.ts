import { describe, expect, it } from 'vitest';
import { ConfigError, mulberry32 } from '@nnkit/core';
import { complexFft, realFft } from './fft.js';

/** X[k] = Σ x[n] e^(−2πikn/N), term by term: O(N²), obviously right. */
function naiveDft(re: ArrayLike<number>, im: ArrayLike<number>): { re: number[]; im: number[] } {
  const n = re.length;
  const out = { re: [] as number[], im: [] as number[] };
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      const angle = (-2 * Math.PI * k * t) / n;
      sr += re[t]! * Math.cos(angle) - im[t]! * Math.sin(angle);
      si += re[t]! * Math.sin(angle) + im[t]! * Math.cos(angle);
    }
    out.re.push(sr);
    out.im.push(si);
  }
  return out;
}

function randomSignal(length: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  return Float64Array.from({ length }, () => 2 * random() - 1);
}

describe('the radix-2 FFT', () => {
  it.each([2, 4, 8, 64, 512])('equals a naive DFT on a random complex signal of %i points', (size) => {
    const re = randomSignal(size, size);
    const im = randomSignal(size, size + 1);
    const expected = naiveDft(re, im);
    complexFft(size).transform(re, im);
    for (let k = 0; k < size; k++) {
      expect(re[k]).toBeCloseTo(expected.re[k]!, 9);
      expect(im[k]).toBeCloseTo(expected.im[k]!, 9);
    }
  });

  it.each([4, 16, 512])('and as a real FFT of %i points gives bins 0 … N/2 of the naive DFT', (size) => {
    const signal = randomSignal(size, 7 * size);
    const expected = naiveDft(signal, new Float64Array(size));
    const re = new Float64Array(size / 2 + 1);
    const im = new Float64Array(size / 2 + 1);
    realFft(size).transform(signal, re, im);
    for (let k = 0; k <= size / 2; k++) {
      expect(re[k]).toBeCloseTo(expected.re[k]!, 9);
      expect(im[k]).toBeCloseTo(expected.im[k]!, 9);
    }
  });

  it('refuses a size that is not a power of two, saying what to do', () => {
    expect(() => complexFft(400)).toThrow(ConfigError);
    expect(() => complexFft(400)).toThrow(/expects a size that is a power of two ≥ 2, got 400\. Round it up/);
    expect(() => realFft(2)).toThrow(/expects a size ≥ 4, got 2/);
  });
});
