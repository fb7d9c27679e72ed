import { type ColorMap, greys } from './colormap.js';
import { blankImage, type RgbImage } from './png.js';

export interface Tile {
  /** Row-major values, `height` × `width`. */
  readonly values: ArrayLike<number>;
  readonly width: number;
  readonly height: number;
  /** A coloured frame around the tile (e.g. red for a misclassified digit). */
  readonly frame?: readonly [number, number, number];
}

export interface GridOptions {
  /** Tiles per row (default: as square as possible). */
  readonly columns?: number;
  /** Screen pixels per value (default 4). */
  readonly scale?: number;
  /** Pixels between tiles (default 2). */
  readonly gap?: number;
  readonly colormap?: ColorMap;
  /** Each tile scaled to its own min…max (default), or one range for all. */
  readonly range?: 'per-tile' | readonly [number, number];
}

/**
 * Tiles (images, feature maps, filters) laid out in a grid: the picture for MNIST digits, a layer's activations,
 * the inputs that excite a unit most. Values are mapped through `colormap` after scaling to [0, 1].
 */
export function imageGrid(tiles: readonly Tile[], options: GridOptions = {}): RgbImage {
  const { scale = 4, gap = 2, colormap = greys, range = 'per-tile' } = options;
  const columns = Math.max(1, options.columns ?? Math.ceil(Math.sqrt(tiles.length)));
  const rows = Math.max(1, Math.ceil(tiles.length / columns));
  const cellWidth = Math.max(...tiles.map((t) => t.width), 1) * scale + 2;
  const cellHeight = Math.max(...tiles.map((t) => t.height), 1) * scale + 2;
  const image = blankImage(columns * (cellWidth + gap) + gap, rows * (cellHeight + gap) + gap);
  tiles.forEach((tile, index) => {
    const [low, high] = range === 'per-tile' ? extent(tile.values) : range;
    const span = high - low || 1;
    const left = gap + (index % columns) * (cellWidth + gap);
    const top = gap + Math.floor(index / columns) * (cellHeight + gap);
    if (tile.frame) fillRect(image, left, top, tile.width * scale + 2, tile.height * scale + 2, tile.frame);
    for (let y = 0; y < tile.height; y++) {
      for (let x = 0; x < tile.width; x++) {
        const color = colormap((tile.values[y * tile.width + x]! - low) / span);
        fillRect(image, left + 1 + x * scale, top + 1 + y * scale, scale, scale, color);
      }
    }
  });
  return image;
}

/** A matrix as coloured cells (a confusion matrix, a receptive field): `values` row-major, rows × columns. */
export function heatmap(values: ArrayLike<number>, rows: number, columns: number, options: Omit<GridOptions, 'columns'> = {}): RgbImage {
  return imageGrid([{ values, width: columns, height: rows }], { ...options, columns: 1, gap: 0, scale: options.scale ?? 16 });
}

export function fillRect(image: RgbImage, left: number, top: number, width: number, height: number, [r, g, b]: readonly [number, number, number]): void {
  for (let y = Math.max(0, top); y < Math.min(image.height, top + height); y++) {
    for (let x = Math.max(0, left); x < Math.min(image.width, left + width); x++) {
      const i = (y * image.width + x) * 3;
      image.pixels[i] = r;
      image.pixels[i + 1] = g;
      image.pixels[i + 2] = b;
    }
  }
}

function extent(values: ArrayLike<number>): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return Number.isFinite(low) ? [low, high] : [0, 1];
}
