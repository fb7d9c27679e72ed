import type { Figure } from './figure.js';
import { imageGridFigure, type FigureTile } from './image-grid-figure.js';

/** Where an encoder's positions look: `rows` × `columns` of them, position (r, c) seeing the square of side `size` at (offset + r·stride, offset + c·stride). */
export interface AttentionGrid {
  readonly rows: number;
  readonly columns: number;
  readonly field: { readonly size: number; readonly stride: number; readonly offset: number };
}

/**
 * Attention over a grid of positions as one weight per image pixel: each pixel takes the weight of the position whose
 * square's centre is nearest, and the whole is scaled so the largest is 1 (so a glance shows where the word looked).
 */
export function gridOverlay(weights: readonly number[], grid: AttentionGrid, height: number, width: number): Float32Array {
  const { rows, columns, field } = grid;
  const nearest = (pixel: number, count: number) =>
    Math.min(count - 1, Math.max(0, Math.round((pixel + 0.5 - field.offset - field.size / 2) / field.stride)));
  const overlay = new Float32Array(height * width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) overlay[y * width + x] = weights[nearest(y, rows) * columns + nearest(x, columns)] ?? 0;
  }
  const top = Math.max(...overlay);
  return top > 0 ? overlay.map((w) => w / top) : overlay;
}

export interface AttentionFigureOptions {
  readonly title: string;
  readonly subtitle?: string | readonly string[];
  /** Each example: its grey image (values in [0, 1], row-major) and, per generated word, its attention over the grid. */
  readonly examples: readonly {
    readonly image: ArrayLike<number>;
    readonly words: readonly { readonly word: string; readonly attention: readonly number[] }[];
    readonly label?: string;
  }[];
  readonly height: number;
  readonly width: number;
  readonly grid: AttentionGrid;
  /** CSS pixels per image pixel (default 2). */
  readonly scale?: number;
  /** One example per column, its words downwards (for wide images such as lines of text), instead of one per row. */
  readonly vertical?: boolean;
}

/**
 * Show, Attend and Tell's figure: each image, then one copy of it per generated word with the region the word
 * attended to in orange, one example per row.
 */
export function attentionFigure(options: AttentionFigureOptions): Figure {
  const { examples, height, width, grid } = options;
  const length = 1 + Math.max(...examples.map((example) => example.words.length));
  const blank = new Float32Array(height * width);
  const sequences = examples.map((example) => {
    const tiles: FigureTile[] = [
      { values: example.image, width, height, caption: example.label ?? 'input' },
      ...example.words.map(({ word, attention }) => ({
        values: example.image,
        width,
        height,
        caption: word,
        overlay: gridOverlay(attention, grid, height, width),
      })),
    ];
    // Sequences of equal length, so that each example starts its own row (or column).
    while (tiles.length < length) tiles.push({ values: blank, width, height, caption: '' });
    return tiles;
  });
  const columns = options.vertical ? examples.length : length;
  const tiles = options.vertical
    ? Array.from({ length: length * examples.length }, (_, i) => sequences[i % examples.length]![Math.floor(i / examples.length)]!)
    : sequences.flat();
  return imageGridFigure({
    title: options.title,
    ...(options.subtitle !== undefined && { subtitle: options.subtitle }),
    tiles,
    columns,
    scale: options.scale ?? 2,
    range: [0, 1],
    notes: ['Orange: where the word attended (each word scaled to its own strongest position).'],
  });
}
