import { ShapeError } from '@nnkit/core';
import { describe, expect, it } from 'vitest';
import { toMnistDigit } from './digit-image.js';
import { readMnistSplit } from './mnist.js';

/** A `width`×`height` page of paper (0 dark, 1 light) with the ink rectangle [x0, x1) × [y0, y1) in the other shade. */
function page(width: number, height: number, [x0, y0, x1, y1]: readonly number[], paper = 1): Float32Array {
  const grey = new Float32Array(width * height).fill(paper);
  for (let y = y0!; y < y1!; y++) for (let x = x0!; x < x1!; x++) grey[y * width + x] = 1 - paper;
  return grey;
}

/** The ink's bounding box and centre of mass in a 28×28 image. */
function measure(image: Float32Array) {
  let [left, top, right, bottom, mass, cx, cy] = [28, 28, -1, -1, 0, 0, 0];
  image.forEach((v, i) => {
    const [x, y] = [i % 28, Math.floor(i / 28)];
    if (v > 0) [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
    [mass, cx, cy] = [mass + v, cx + v * x, cy + v * y];
  });
  return { width: right - left + 1, height: bottom - top + 1, centre: [cx / mass, cy / mass] };
}

/** MNIST test digit `k` drawn 3× larger (84×84), dark ink on light paper, as someone's photo of it would be. */
function enlargedMnistDigit(test: ReturnType<typeof readMnistSplit>, k: number) {
  const original = Float32Array.from(test.pixels.subarray(k * 784, (k + 1) * 784), (v) => v / 255);
  const grey = new Float32Array(84 * 84);
  for (let y = 0; y < 84; y++) for (let x = 0; x < 84; x++) grey[y * 84 + x] = 1 - original[Math.floor(y / 3) * 28 + Math.floor(x / 3)]!;
  return { original, grey };
}

/** Mean absolute difference between `a` and `b` moved by (dx, dy) pixels. */
function differenceShifted(a: Float32Array, b: Float32Array, dx: number, dy: number): number {
  let total = 0;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const [sx, sy] = [x + dx, y + dy];
      total += Math.abs(a[y * 28 + x]! - (sx >= 0 && sx < 28 && sy >= 0 && sy < 28 ? b[sy * 28 + sx]! : 0));
    }
  }
  return total / 784;
}

describe('toMnistDigit', () => {
  it('refuses grey levels that are not width × height, naming both', () => {
    expect(() => toMnistDigit(new Float32Array(10), 4, 3)).toThrow(ShapeError);
    expect(() => toMnistDigit(new Float32Array(10), 4, 3)).toThrow('toMnistDigit expects width × height = 4×3 grey levels, got 10.');
    expect(() => toMnistDigit(new Float32Array(0), 0, 0)).toThrow(ShapeError);
  });

  it('gives an empty image for a blank page, light or dark', () => {
    for (const paper of [0, 1]) expect(toMnistDigit(new Float32Array(40 * 30).fill(paper), 40, 30)).toEqual(new Float32Array(784));
  });

  it('reads dark ink on light paper and light ink on dark paper alike, as light ink on black', () => {
    const box = [12, 8, 30, 50];
    const onLight = toMnistDigit(page(48, 64, box, 1), 48, 64);
    expect(toMnistDigit(page(48, 64, box, 0), 48, 64)).toEqual(onLight);
    expect(Math.max(...onLight)).toBe(1);
    expect(Math.min(...onLight)).toBe(0);
  });

  it('scales the ink to fit a 20×20 box, keeping its aspect ratio', () => {
    // 15 wide and 45 tall: the height becomes 20, the width 15 · 20/45 ≈ 7.
    expect(measure(toMnistDigit(page(60, 60, [20, 5, 35, 50]), 60, 60))).toMatchObject({ width: 7, height: 20 });
    // a small digit is enlarged: 4 × 2 becomes 20 × 10
    expect(measure(toMnistDigit(page(30, 30, [3, 3, 7, 5]), 30, 30))).toMatchObject({ width: 20, height: 10 });
  });

  it('centres the ink by its centre of mass, wherever it was on the page', () => {
    const corner = toMnistDigit(page(100, 100, [2, 3, 22, 33]), 100, 100);
    expect(toMnistDigit(page(100, 100, [70, 60, 90, 90]), 100, 100)).toEqual(corner);
    for (const c of measure(corner).centre) expect(Math.abs(c - 14)).toBeLessThanOrEqual(1);
  });

  it('an MNIST digit drawn 3× larger, dark on light, comes back as MNIST prepared it, to within a one-pixel shift', () => {
    const test = readMnistSplit('test');
    for (let k = 0; k < 100; k++) {
      const { original, grey } = enlargedMnistDigit(test, k);
      const digit = toMnistDigit(grey, 84, 84);
      const shifts = [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dx) => differenceShifted(original, digit, dx, dy)));
      expect(Math.min(...shifts), `test digit ${k}`).toBeLessThan(0.005);
    }
  });

  // Known: every MNIST digit's centre of mass lies in [13.5, 14.5) (all 10,000 test digits), where
  // round(14 − centre) puts it; toMnistDigit rounds 13.5 − centre, which puts it in [13, 14): half a pixel up and
  // left on average, one whole pixel for about three digits in four. Flip to `it` when digit-image.ts is fixed.
  it('centres as MNIST did: an enlarged MNIST digit comes back unmoved, its centre of mass in [13.5, 14.5)', () => {
    const test = readMnistSplit('test');
    for (let k = 0; k < 100; k++) {
      const { grey } = enlargedMnistDigit(test, k);
      for (const c of measure(toMnistDigit(grey, 84, 84)).centre) {
        expect(c, `test digit ${k}`).toBeGreaterThanOrEqual(13.5);
        expect(c, `test digit ${k}`).toBeLessThan(14.5);
      }
    }
  });
});
