import { describe, expect, it } from 'vitest';
import { inkBox, pasteMax, resampleBox } from './resample.js';

describe('resampling digits', () => {
  const image = Uint8Array.from({ length: 36 }, (_, i) => (i * 37) % 256); // 6×6 of varied grey levels
  const whole = { x: 0, y: 0, width: 6, height: 6 };

  it('keeps an image at its own size as it is, and a flat box flat at any size', () => {
    expect(Array.from(resampleBox(image, 0, 6, whole, 6, 6, 255))).toEqual(Array.from(image, (v) => Math.fround(v / 255)));
    const flat = new Uint8Array(36).fill(200);
    for (const [w, h] of [
      [3, 2],
      [13, 17],
      [1, 1],
    ] as const) {
      for (const v of resampleBox(flat, 0, 6, { x: 1, y: 2, width: 4, height: 3 }, w, h, 255)) expect(v).toBeCloseTo(200 / 255, 6);
    }
  });

  it('shrinks by averaging every input pixel (the mean survives a 2× shrink), and enlarges by interpolation within the input’s range', () => {
    const grey = Array.from(image, (v) => v / 255);
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    expect(mean(resampleBox(image, 0, 6, whole, 3, 3, 255))).toBeCloseTo(mean(grey), 1);
    const big = resampleBox(image, 0, 6, whole, 15, 15, 255);
    expect(Math.min(...big)).toBeGreaterThanOrEqual(Math.min(...grey) - 1e-6);
    expect(Math.max(...big)).toBeLessThanOrEqual(Math.max(...grey) + 1e-6);
  });

  it('finds the ink box, and pastes by keeping the brighter value', () => {
    const digit = new Uint8Array(784);
    digit[5 * 28 + 7] = 9;
    digit[20 * 28 + 12] = 255;
    expect(inkBox(digit, 0, 28)).toEqual({ x: 7, y: 5, width: 6, height: 16 });
    expect(inkBox(new Uint8Array(784), 0, 28)).toEqual({ x: 0, y: 0, width: 28, height: 28 });
    const canvas = Float32Array.from([0.5, 0.5, 0.5, 0.5]);
    pasteMax(canvas, 2, Float32Array.from([0.2, 0.9]), 2, 1, 0, 1);
    expect(Array.from(canvas)).toEqual([0.5, 0.5, 0.5, Math.fround(0.9)]);
  });
});
