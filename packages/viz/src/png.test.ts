import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { heatmap, imageGrid } from './grid.js';
import { encodePng } from './png.js';

describe('PNG output', () => {
  it('writes a valid RGB PNG whose pixels round-trip', () => {
    const pixels = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
    const file = encodePng({ width: 2, height: 2, pixels });
    expect([...file.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(file[25]).toBe(2); // colour type: RGB, no alpha
    const { width, height, data } = PNG.sync.read(file);
    expect([width, height]).toEqual([2, 2]);
    expect([...data]).toEqual([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 255]);
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

  it('reads grey with alpha (transparent counts as white paper)', async () => {
    const { decodePng } = await import('./decode-png.js');
    const png = new PNG({ width: 2, height: 1 });
    png.data = Buffer.from([0, 0, 0, 255, 0, 0, 0, 0]); // black opaque, black transparent
    const { grey } = decodePng(PNG.sync.write(png, { colorType: 4 }));
    expect(Array.from(grey)).toEqual([0, 1]);
  });

  it('reads an RGBA file', async () => {
    const { decodePng } = await import('./decode-png.js');
    const png = new PNG({ width: 2, height: 1 });
    png.data = Buffer.from([0, 0, 0, 255, 0, 0, 0, 0]);
    const { grey } = decodePng(PNG.sync.write(png));
    expect(Array.from(grey)).toEqual([0, 1]);
  });

  it('refuses a file that is not a PNG', async () => {
    const { decodePng } = await import('./decode-png.js');
    expect(() => decodePng(new Uint8Array(40), 'digit.png')).toThrow(/digit\.png expects a PNG file/);
  });

  it('refuses a picture larger than the limit from its header, before decoding it', async () => {
    const { decodePng, PngError } = await import('./decode-png.js');
    // A valid 2×2 PNG whose IHDR (CRC redone) claims 20000×20000: what a 439 KB PNG of a blank page says.
    const file = encodePng({ width: 2, height: 2, pixels: new Uint8Array(12) });
    file.writeUInt32BE(20_000, 16);
    file.writeUInt32BE(20_000, 20);
    file.writeUInt32BE(crc32(file.subarray(12, 29)), 29);
    const error = (() => {
      try {
        decodePng(file, 'huge.png');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PngError);
    expect(error).toMatchObject({ code: 'NNKIT_DATA' });
    expect((error as Error).message).toMatch(
      /^huge\.png expects a picture of at most 50 megapixels, got 20000×20000 \(400\.0 megapixels\)\. .*-resize 280x280/,
    );
    expect(() => decodePng(encodePng({ width: 2, height: 2, pixels: new Uint8Array(12) }), 'four.png', { maxPixels: 3 })).toThrow(
      /four\.png expects a picture of at most 0\.000003 megapixels, got 2×2/,
    );
  });

  it('names a missing file, a directory and a truncated PNG', async () => {
    const { readPng } = await import('./decode-png.js');
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-png-'));
    const file = encodePng({ width: 8, height: 8, pixels: new Uint8Array(192).map((_, i) => (i * 37) % 256) });
    writeFileSync(join(dir, 'cut.png'), file.subarray(0, file.length >> 1));
    expect(() => readPng(join(dir, 'cut.png'))).toThrow(
      new RegExp(`^${join(dir, 'cut.png')} expects a whole PNG file, got a truncated one`),
    );
    expect(() => readPng(join(dir, 'missing.png'))).toThrow(
      new RegExp(`^${join(dir, 'missing.png')} expects a PNG file, got no file by that name`),
    );
    expect(() => readPng(dir)).toThrow(new RegExp(`^${dir} expects a PNG file, got a directory`));
    writeFileSync(join(dir, 'whole.png'), file);
    expect(readPng(join(dir, 'whole.png')).width).toBe(8);
  });
});

describe('labels', () => {
  it('draws digit labels beside a heatmap and in a tile corner', async () => {
    const { labelledHeatmap, imageGrid: grid } = await import('./grid.js');
    const map = labelledHeatmap([0, 1, 1, 0], ['0', '1'], ['0', '1'], { scale: 12 });
    const margin = map.width - (2 * 12 + 2);
    expect(map.height).toBe(map.width); // square margins around a square map
    expect(margin).toBeGreaterThan(5 * 2);
    const dark = (x: number, y: number) => map.pixels[(y * map.width + x) * 3]! < 100;
    let inkInMargin = 0;
    for (let y = margin; y < map.height; y++) for (let x = 0; x < margin; x++) if (dark(x, y)) inkInMargin++;
    expect(inkInMargin).toBeGreaterThan(10); // the row labels '0' and '1'
    const tile = grid([{ values: [0, 0, 0, 0], width: 2, height: 2, label: '7', frame: [255, 0, 0] as const }], {
      scale: 8,
    });
    expect([...tile.pixels.subarray((4 * tile.width + 4) * 3, (4 * tile.width + 4) * 3 + 3)]).toEqual([255, 0, 0]); // the 7's top bar
  });
});

describe('line charts', () => {
  it('draws each series in its colour on labelled axes, a gap for values a log scale cannot show', async () => {
    const { lineChart } = await import('./line-chart.js');
    const chart = lineChart(
      [
        { values: [1, 0.1, 0.01, 0, 1e-4], color: [200, 0, 0] },
        { values: [1, 1, 1, 1, 1], color: [0, 0, 200] },
      ],
      { width: 200, height: 120, logY: true },
    );
    expect([chart.width, chart.height]).toEqual([200, 120]);
    const count = (rgb: number[]) => {
      let n = 0;
      for (let i = 0; i < chart.pixels.length; i += 3)
        if (chart.pixels[i] === rgb[0] && chart.pixels[i + 1] === rgb[1] && chart.pixels[i + 2] === rgb[2]) n++;
      return n;
    };
    expect(count([200, 0, 0])).toBeGreaterThan(50);
    expect(count([0, 0, 200])).toBeGreaterThan(50);
  });
});

/** The CRC-32 of PNG chunks (ISO 3309), bit by bit. */
function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}
