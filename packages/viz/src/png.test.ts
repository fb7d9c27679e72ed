import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { heatmap, imageGrid } from './grid.js';
import { encodePng } from './png.js';

/** Decodes what encodePng writes (filter 0 only): enough to check pixels round-trip. */
function decode(png: Buffer) {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idatLength = png.readUInt32BE(33);
  expect(png.subarray(37, 41).toString()).toBe('IDAT');
  const raw = inflateSync(png.subarray(41, 41 + idatLength));
  return { width, height, raw };
}

describe('PNG output', () => {
  it('writes a valid PNG whose pixels round-trip', () => {
    const pixels = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
    const { width, height, raw } = decode(encodePng({ width: 2, height: 2, pixels }));
    expect([width, height]).toEqual([2, 2]);
    expect([...raw]).toEqual([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 10, 20, 30]);
  });

  it('lays tiles out in a grid with frames, and draws a heatmap cell per value', () => {
    const tile = { values: [0, 1, 1, 0], width: 2, height: 2 };
    const grid = imageGrid([tile, { ...tile, frame: [255, 0, 0] as const }, tile], { columns: 2, scale: 3, gap: 1 });
    expect([grid.width, grid.height]).toEqual([2 * (2 * 3 + 2 + 1) + 1, 2 * (2 * 3 + 2 + 1) + 1]);
    const at = (x: number, y: number) => [...grid.pixels.subarray((y * grid.width + x) * 3, (y * grid.width + x) * 3 + 3)];
    expect(at(1 + 1, 1 + 1)).toEqual([255, 255, 255]); // first tile, value 0: white ink
    expect(at(1 + 1 + 3, 1 + 1)).toEqual([0, 0, 0]); // value 1: black
    expect(at(1 + 9 + 1 + 1 - 1, 1)).toEqual([255, 0, 0]); // the second tile's frame
    const map = heatmap([0, 1], 1, 2, { scale: 5 });
    expect([map.width, map.height]).toEqual([12, 7]);
  });
});

describe('PNG input', () => {
  it('decodes what encodePng writes, as grey levels', async () => {
    const { decodePng } = await import('./decode-png.js');
    const pixels = new Uint8Array([0, 0, 0, 255, 255, 255, 255, 0, 0, 128, 128, 128]);
    const { width, height, grey } = decodePng(encodePng({ width: 2, height: 2, pixels }));
    expect([width, height]).toEqual([2, 2]);
    expect(Array.from(grey).map((g) => Number(g.toFixed(3)))).toEqual([0, 1, 0.299, 0.502]);
  });

  it('refuses a file that is not a PNG', async () => {
    const { decodePng } = await import('./decode-png.js');
    expect(() => decodePng(new Uint8Array(40), 'digit.png')).toThrow(/digit\.png expects a PNG file/);
  });
});
