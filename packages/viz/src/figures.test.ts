import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { barFigure } from './bar-figure.js';
import { diverging, viridis } from './colormap.js';
import { renderPng, writeFigure, PIXEL_RATIO } from './figure.js';
import { textWidth } from './fonts.js';
import { heatmapFigure } from './heatmap-figure.js';
import { imageGridFigure } from './image-grid-figure.js';
import { lineFigure } from './line-figure.js';

const read = (png: Buffer) => PNG.sync.read(png);
/** Whether a region of the rendered PNG holds dark pixels (text drawn there). */
function inked(png: PNG, [x0, y0, x1, y1]: readonly number[]): number {
  let dark = 0;
  for (let y = y0!; y < y1!; y++) for (let x = x0!; x < x1!; x++) if (png.data[(y * png.width + x) * 4]! < 120) dark++;
  return dark;
}

describe('line figures', () => {
  it('have a title, axis titles with units, a legend naming every line, and no Vega-Lite warning', async () => {
    const warnings: string[] = [];
    const figure = await lineFigure({
      title: 'Training loss',
      subtitle: 'two runs',
      legend: 'run',
      onWarning: (m) => warnings.push(m),
      x: { title: 'step' },
      y: { title: 'loss', unit: 'nats per token' },
      series: [
        { name: 'unclipped', values: [3, 2, NaN, 1] },
        { name: 'clipped', values: [3, 2.5, 2, 1.5], dashed: true },
      ],
      references: [{ name: 'always 1', y: 2.2 }],
    });
    expect(warnings).toEqual([]);
    for (const text of ['Training loss', 'two runs', 'step', 'loss (nats per token)', 'run', 'unclipped', 'clipped', 'always 1'])
      expect(figure.svg).toContain(`>${text}<`);
    const png = read(renderPng(figure));
    expect([png.width, png.height]).toEqual([Math.round(figure.width * PIXEL_RATIO), Math.round(figure.height * PIXEL_RATIO)]);
    expect(inked(png, [0, 0, png.width, 60])).toBeGreaterThan(200); // the title is drawn: the font loaded
  });

  it('label a log axis in powers of ten, leaving a gap where a value cannot be shown', async () => {
    const figure = await lineFigure({
      title: 't',
      legend: 'l',
      x: { title: 'x' },
      y: { title: 'y', log: true },
      series: [{ name: 'a', values: [1, 1e-3, 0, 1e-6] }],
    });
    for (const label of ['1', '10⁻²', '10⁻⁴', '10⁻⁶']) expect(figure.svg).toContain(`>${label}<`);
    expect(figure.svg).not.toContain('NaN');
  });

  it('label every tick they are given, integers too', async () => {
    const figure = await lineFigure({
      title: 't',
      legend: 'l',
      x: { title: 'epoch', format: 'd', ticks: [0, 1, 2] },
      y: { title: 'y' },
      series: [{ name: 'a', values: [3, 2, 1], x: [0, 1, 2] }],
    });
    for (const label of ['0', '1', '2']) expect(figure.svg).toContain(`>${label}</text>`);
  });

  it('refuse two lines of one name (the legend could not tell them apart)', async () => {
    await expect(
      lineFigure({
        title: 't',
        legend: 'l',
        x: { title: 'x' },
        y: { title: 'y' },
        series: [
          { name: 'a', values: [1] },
          { name: 'a', values: [2] },
        ],
      }),
    ).rejects.toThrow(/a different name for each line/);
  });
});

describe('heatmap figures', () => {
  it('write each count in its cell, with a colour scale titled in the legend', async () => {
    const figure = await heatmapFigure({
      title: 'Confusion',
      values: [50, 2, 0, 41],
      rows: ['cat', 'dog'],
      columns: ['cat', 'dog'],
      x: { title: 'predicted' },
      y: { title: 'true' },
      color: { title: 'examples', scale: 'symlog' },
    });
    for (const text of ['Confusion', 'predicted', 'true', 'examples', '50', '41', '2', 'cat', 'dog'])
      expect(figure.svg).toContain(`>${text}<`);
    expect(figure.svg).toMatch(/linearGradient/); // the colour scale
  });

  it('share one colour scale across panels, and refuse values that do not fill the matrix', async () => {
    const figure = await heatmapFigure({
      title: 'Two maps',
      x: { title: 'column' },
      y: { title: 'row' },
      color: { title: 'value', scheme: 'blueorange' },
      panels: [
        { title: 'A', values: [0, 1, -1, 2], rows: ['1', '2'], columns: ['1', '2'] },
        { title: 'B', values: [1], rows: ['1'], columns: ['1'] },
      ],
    });
    expect(figure.svg.match(/linearGradient id/g)).toHaveLength(1);
    await expect(
      heatmapFigure({
        title: 't',
        values: [1, 2, 3],
        rows: ['a', 'b'],
        columns: ['a', 'b'],
        x: { title: 'x' },
        y: { title: 'y' },
        color: { title: 'c' },
      }),
    ).rejects.toThrow(/2 × 2 = 4 values in panel 0, got 3/);
  });
});

describe('bar figures', () => {
  it('label both axes and list the groups in the legend', async () => {
    const figure = await barFigure({
      title: 'Probabilities',
      legend: 'output',
      x: { title: 'digit' },
      y: { title: 'probability' },
      text: '.2f',
      bars: [
        { label: '0', value: 0.1, group: 'other' },
        { label: '1', value: 0.9, group: 'answer' },
      ],
    });
    for (const text of ['Probabilities', 'digit', 'probability', 'output', 'other', 'answer', '0.90'])
      expect(figure.svg).toContain(`>${text}<`);
  });
});

describe('image grid figures', () => {
  it('paste every value as an exact block of its colour, however the text around it is drawn', () => {
    const tiles = [
      { values: [0, 0.25, 0.5, 0.75, 1, 0.1], width: 3, height: 2, caption: 'first' },
      { values: [1, 0, 0, 1], width: 2, height: 2, caption: 'second', frame: [214, 39, 40] as const },
    ];
    const scale = 5;
    const figure = imageGridFigure({
      title: 'Tiles',
      subtitle: 'exact',
      tiles,
      scale,
      colormap: viridis,
      range: [0, 1],
      colorbar: { title: 'value' },
      notes: ['a note'],
    });
    const png = read(renderPng(figure));
    const block = scale * PIXEL_RATIO;
    const placed = figure.rasters!;
    tiles.forEach((tile, t) => {
      const left = placed[t]!.x * PIXEL_RATIO;
      const top = placed[t]!.y * PIXEL_RATIO;
      for (let y = 0; y < tile.height * block; y++) {
        for (let x = 0; x < tile.width * block; x++) {
          const expected = viridis(tile.values[Math.floor(y / block) * tile.width + Math.floor(x / block)]!);
          const at = ((top + y) * png.width + left + x) * 4;
          expect([png.data[at], png.data[at + 1], png.data[at + 2]], `tile ${t} at (${x}, ${y})`).toEqual([...expected]);
        }
      }
    });
    for (const text of ['Tiles', 'exact', 'first', 'second', 'value', 'a note']) expect(figure.svg).toContain(`>${text}<`);
  });

  it('label each row at its left, and keep the tiles clear of the labels', () => {
    const tiles = Array.from({ length: 4 }, () => ({ values: [0, 1, 1, 0], width: 2, height: 2 }));
    const plain = imageGridFigure({ title: 't', tiles, columns: 2, scale: 4 });
    const labelled = imageGridFigure({ title: 't', tiles, columns: 2, scale: 4, rowLabels: ['unit 12', 'unit 3'] });
    for (const label of ['unit 12', 'unit 3']) expect(labelled.svg).toContain(`>${label}<`);
    expect(labelled.rasters![0]!.x).toBeGreaterThan(plain.rasters![0]!.x + textWidth('unit 12', 12) - 1);
    expect(labelled.width - plain.width).toBe(labelled.rasters![0]!.x - plain.rasters![0]!.x);
  });

  it('make room for a caption wider than its tile, and refuse a scale that is not a whole number of pixels', () => {
    const figure = imageGridFigure({
      title: 't',
      tiles: [{ values: [1], width: 1, height: 1, caption: 'a rather long caption' }],
      scale: 2,
      colormap: diverging,
    });
    expect(figure.width).toBeGreaterThan(textWidth('a rather long caption', 11));
    expect(() => imageGridFigure({ title: 't', tiles: [{ values: [1], width: 1, height: 1 }], scale: 1.5 })).toThrow(/integer ≥ 1/);
  });
});

describe('text and files', () => {
  it('measures DejaVu Sans from its own advance widths', () => {
    expect(textWidth('mmmm', 10)).toBeGreaterThan(textWidth('iiii', 10) * 2);
    expect(textWidth('abc', 20)).toBeCloseTo(2 * textWidth('abc', 10), 6);
    expect(textWidth('Bold', 12, true)).toBeGreaterThan(textWidth('Bold', 12));
  });

  it('writes the PNG (and the SVG when asked) atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-viz-'));
    const path = await writeFigure(
      join(dir, 'sub', 'f.png'),
      imageGridFigure({ title: 't', tiles: [{ values: [0, 1], width: 2, height: 1 }] }),
      { svg: true },
    );
    expect(readFileSync(path).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(join(dir, 'sub', 'f.svg'), 'utf8')).toMatch(/^<svg/);
  });
});
