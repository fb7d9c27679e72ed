import { type ColorMap, extent, greys } from './colormap.js';
import { drawDigits, textWidth } from './digits-font.js';
import { blankImage, type RgbImage } from './png.js';

export interface Tile {
  /** Row-major values, `height` × `width`. */
  readonly values: ArrayLike<number>;
  readonly width: number;
  readonly height: number;
  /** A coloured frame around the tile (e.g. red for a misclassified digit). */
  readonly frame?: readonly [number, number, number];
  /** Digits drawn in the tile's top-left corner, in the frame's colour (e.g. what a classifier predicted). */
  readonly label?: string;
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
 * @deprecated Use `imageGridFigure` (captions and title in a real font, a colour bar); kept for code written before it.
 *
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
    if (tile.label) drawDigits(image, tile.label, left + 2, top + 2, Math.max(1, Math.floor(scale / 2)), tile.frame ?? [220, 40, 40]);
  });
  return image;
}

/**
 * @deprecated Use `heatmapFigure` (counts in the cells, a colour scale, axis titles).
 *
 * A heatmap with digit labels: row labels on the left, column labels on top (a confusion matrix's true and
 * predicted classes). `values` is row-major, rows × columns.
 */
export function labelledHeatmap(
  values: ArrayLike<number>,
  rowLabels: readonly string[],
  columnLabels: readonly string[],
  options: Omit<GridOptions, 'columns'> = {},
): RgbImage {
  const scale = options.scale ?? 16;
  const map = heatmap(values, rowLabels.length, columnLabels.length, options);
  const text = Math.max(1, Math.floor(scale / 6));
  // Room for the widest row label on the left and a line of text (5 pixels tall) on top.
  const margin = Math.max(...rowLabels.map((l) => textWidth(l, text)), 5 * text) + 2 * text + 2;
  const image = blankImage(map.width + margin, map.height + margin);
  for (let y = 0; y < map.height; y++)
    image.pixels.set(map.pixels.subarray(y * map.width * 3, (y + 1) * map.width * 3), ((y + margin) * image.width + margin) * 3);
  const ink = [40, 40, 40] as const;
  rowLabels.forEach((label, i) =>
    drawDigits(
      image,
      label,
      margin - textWidth(label, text) - 2 * text,
      margin + 1 + i * scale + Math.floor((scale - 5 * text) / 2),
      text,
      ink,
    ),
  );
  columnLabels.forEach((label, j) =>
    drawDigits(image, label, margin + 1 + j * scale + Math.floor((scale - textWidth(label, text)) / 2), margin - 6 * text - 1, text, ink),
  );
  return image;
}

/** @deprecated Use `heatmapFigure`. A matrix as coloured cells: `values` row-major, rows × columns. */
export function heatmap(values: ArrayLike<number>, rows: number, columns: number, options: Omit<GridOptions, 'columns'> = {}): RgbImage {
  return imageGrid([{ values, width: columns, height: rows }], {
    ...options,
    columns: 1,
    gap: 0,
    scale: options.scale ?? 16,
  });
}

export function fillRect(
  image: RgbImage,
  left: number,
  top: number,
  width: number,
  height: number,
  [r, g, b]: readonly [number, number, number],
): void {
  for (let y = Math.max(0, top); y < Math.min(image.height, top + height); y++) {
    for (let x = Math.max(0, left); x < Math.min(image.width, left + width); x++) {
      const i = (y * image.width + x) * 3;
      image.pixels[i] = r;
      image.pixels[i + 1] = g;
      image.pixels[i + 2] = b;
    }
  }
}
