import { extent, greys, type ColorMap } from './colormap.js';
import { escapeXml, PIXEL_RATIO, type Figure, type PlacedRaster, type Raster } from './figure.js';
import { FONT_FAMILY, textWidth as measure } from './fonts.js';
import { encodePng } from './png.js';
import { cssColor, TEXT, type Color } from './theme.js';

export interface FigureTile {
  /** Row-major values, `height` × `width`. */
  readonly values: ArrayLike<number>;
  readonly width: number;
  readonly height: number;
  /** A short line under the tile: `map 3`, `7 → 2`, `N = 4`. */
  readonly caption?: string;
  /** A coloured frame around the tile (red for a misclassified digit); say what it means in `notes`. */
  readonly frame?: Color;
  /** Values in [0, 1], one per value of the tile, drawn over it in translucent orange: where attention went. */
  readonly overlay?: ArrayLike<number>;
}

export interface ImageGridFigureOptions {
  readonly title: string;
  readonly subtitle?: string | readonly string[];
  readonly tiles: readonly FigureTile[];
  /** Tiles per row (default: as square as possible). */
  readonly columns?: number;
  /** CSS pixels per value (default 4): each value is a square block of exactly one colour. */
  readonly scale?: number;
  /** Value (scaled to [0, 1]) to colour. Default `greys` (0 white, 1 black: ink on paper). */
  readonly colormap?: ColorMap;
  /** Each tile scaled to its own min…max (default), or one range for every tile. */
  readonly range?: 'per-tile' | readonly [number, number];
  /** A colour bar beside the grid: what the colours mean, with its unit (`activation`, `log(1 + |∂y/∂x|)`). */
  readonly colorbar?: { readonly title: string };
  /** Lines under the grid: what frames and captions mean. */
  readonly notes?: readonly string[];
  /** A label left of each row of tiles (`unit 12`), where a row is one thing: a unit's top patches. */
  readonly rowLabels?: readonly string[];
}

const PAD = 12;
const GAP = 10;
const CAPTION_LINE = 16;

const OVERLAY_COLOR = [240, 110, 0] as const;
const OVERLAY_OPACITY = 0.7;

/** A tile's values as a raster of device pixels: each value a block of `block` × `block` pixels of its colour. */
function tileRaster(tile: FigureTile, block: number, colormap: ColorMap, [low, high]: readonly [number, number]): Raster {
  const span = high - low || 1;
  const width = tile.width * block;
  const height = tile.height * block;
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const index = Math.floor(y / block) * tile.width + Math.floor(x / block);
      const color = colormap((tile.values[index]! - low) / span);
      const tint = tile.overlay ? OVERLAY_OPACITY * Math.min(1, Math.max(0, tile.overlay[index]!)) : 0;
      pixels.set(
        color.map((channel, c) => Math.round(channel * (1 - tint) + OVERLAY_COLOR[c]! * tint)),
        (y * width + x) * 3,
      );
    }
  }
  return { width, height, pixels };
}

function dataUri(raster: Raster): string {
  return `data:image/png;base64,${encodePng(raster).toString('base64')}`;
}

const text = (x: number, y: number, size: number, content: string, extra = '', fill = '#222') =>
  `<text x="${x}" y="${y}" font-family="${FONT_FAMILY}" font-size="${size}" fill="${fill}"${extra}>${escapeXml(content)}</text>`;

/** Short tick labels for the colour bar: 3 significant digits, exponent form for very large or small values. */
function tickLabel(v: number): string {
  if (v === 0) return '0';
  const magnitude = Math.abs(v);
  return magnitude >= 1e4 || magnitude < 1e-2 ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}

/**
 * Tiles (digits, feature maps, filters) in a grid with a title, a caption under each tile, optional frames and a
 * colour bar. Every value is a square block of exactly one colour in the PNG (the tiles are pasted pixel for pixel
 * after the text is drawn), so a 28×28 digit stays 28×28 values however it is scaled.
 */
export function imageGridFigure(options: ImageGridFigureOptions): Figure {
  const { tiles, colormap = greys, range = 'per-tile' } = options;
  if (tiles.length === 0) throw new Error('imageGridFigure expects at least one tile, got none.');
  const scale = options.scale ?? 4;
  if (!Number.isInteger(scale) || scale < 1)
    throw new Error(`imageGridFigure expects scale to be an integer ≥ 1 (CSS pixels per value), got ${scale}.`);
  const columns = Math.max(1, Math.min(tiles.length, options.columns ?? Math.ceil(Math.sqrt(tiles.length))));
  const rows = Math.ceil(tiles.length / columns);
  const hasCaptions = tiles.some((t) => t.caption);
  const tileWidth = Math.max(...tiles.map((t) => t.width)) * scale;
  const tileHeight = Math.max(...tiles.map((t) => t.height)) * scale;
  const captionWidth = Math.max(0, ...tiles.map((t) => measure(t.caption ?? '', TEXT.caption - 1)));
  const cellWidth = Math.ceil(Math.max(tileWidth, captionWidth)) + 4;
  const cellHeight = tileHeight + 4 + (hasCaptions ? CAPTION_LINE : 0);
  const subtitles = options.subtitle === undefined ? [] : [options.subtitle].flat();
  const headerHeight = 20 + subtitles.length * 16 + GAP;
  const rowLabels = options.rowLabels ?? [];
  // Row labels sit in a column of their own, left of the grid, right-aligned against it.
  const labelColumn = rowLabels.length > 0 ? Math.ceil(Math.max(...rowLabels.map((l) => measure(l, TEXT.label)))) + GAP : 0;
  const gridLeft = PAD + labelColumn;
  const gridWidth = columns * cellWidth + (columns - 1) * GAP;
  const gridHeight = rows * cellHeight + (rows - 1) * GAP;
  const top = PAD + headerHeight;

  const parts: string[] = [];
  const rasters: PlacedRaster[] = [];
  parts.push(text(PAD, PAD + 15, TEXT.title, options.title, ' font-weight="bold"'));
  subtitles.forEach((line, i) => parts.push(text(PAD, PAD + 20 + 13 + i * 16, TEXT.subtitle, line, '', '#444')));

  const fixed = range === 'per-tile' ? undefined : range;
  tiles.forEach((tile, index) => {
    const cellLeft = gridLeft + (index % columns) * (cellWidth + GAP);
    const cellTop = top + Math.floor(index / columns) * (cellHeight + GAP);
    const [w, h] = [tile.width * scale, tile.height * scale];
    const x = cellLeft + Math.floor((cellWidth - w) / 2);
    const y = cellTop + 2;
    const raster = tileRaster(tile, scale * PIXEL_RATIO, colormap, fixed ?? extent(tile.values));
    rasters.push({ x, y, raster });
    parts.push(`<image x="${x}" y="${y}" width="${w}" height="${h}" image-rendering="optimizeSpeed" href="${dataUri(raster)}"/>`);
    // A frame where asked, else a hairline, so that a tile whose edge is the background colour still shows its extent.
    if (tile.frame)
      parts.push(
        `<rect x="${x - 1}" y="${y - 1}" width="${w + 2}" height="${h + 2}" fill="none" stroke="${cssColor(tile.frame)}" stroke-width="2"/>`,
      );
    else parts.push(`<rect x="${x - 0.5}" y="${y - 0.5}" width="${w + 1}" height="${h + 1}" fill="none" stroke="#bbb" stroke-width="1"/>`);
    if (tile.caption)
      parts.push(text(cellLeft + cellWidth / 2, y + tileHeight + 2 + 13, TEXT.caption - 1, tile.caption, ' text-anchor="middle"'));
  });

  rowLabels.slice(0, rows).forEach((label, r) => {
    const middle = top + r * (cellHeight + GAP) + 2 + tileHeight / 2;
    parts.push(text(gridLeft - GAP, middle + 4, TEXT.label, label, ' text-anchor="end"'));
  });

  let right = gridLeft + gridWidth;
  let bottom = top + gridHeight;
  if (options.colorbar) {
    const barLeft = right + 20;
    const barHeight = Math.max(80, Math.min(gridHeight, 200));
    const barTop = top + 18;
    const block = PIXEL_RATIO;
    const steps = barHeight * block;
    const pixels = new Uint8Array(14 * block * steps * 3);
    for (let y = 0; y < steps; y++) {
      const color = colormap(1 - y / (steps - 1));
      for (let x = 0; x < 14 * block; x++) pixels.set(color, (y * 14 * block + x) * 3);
    }
    const raster = { width: 14 * block, height: steps, pixels };
    rasters.push({ x: barLeft, y: barTop, raster });
    parts.push(
      `<image x="${barLeft}" y="${barTop}" width="14" height="${barHeight}" image-rendering="optimizeSpeed" href="${dataUri(raster)}"/>`,
    );
    parts.push(
      `<rect x="${barLeft - 0.5}" y="${barTop - 0.5}" width="15" height="${barHeight + 1}" fill="none" stroke="#999" stroke-width="1"/>`,
    );
    const [highLabel, lowLabel] = fixed ? [tickLabel(fixed[1]), tickLabel(fixed[0])] : ['tile max', 'tile min'];
    parts.push(text(barLeft + 20, barTop + 10, TEXT.label - 1, highLabel));
    parts.push(text(barLeft + 20, barTop + barHeight, TEXT.label - 1, lowLabel));
    if (fixed && fixed[0] < 0 && fixed[1] > 0) {
      const zero = barTop + (fixed[1] / (fixed[1] - fixed[0])) * barHeight;
      parts.push(text(barLeft + 20, zero + 4, TEXT.label - 1, '0'));
    }
    parts.push(text(barLeft, top + 11, TEXT.label, options.colorbar.title, ' font-weight="bold"'));
    bottom = Math.max(bottom, barTop + barHeight + 6);
    right = Math.max(barLeft + 20 + measure(highLabel, TEXT.label), barLeft + measure(options.colorbar.title, TEXT.label, true));
  }

  for (const note of options.notes ?? []) {
    bottom += 18;
    parts.push(text(PAD, bottom, TEXT.caption, note, '', '#444'));
  }
  const widest = Math.max(
    right,
    ...[options.title, ...subtitles, ...(options.notes ?? [])].map(
      (line, i) => PAD + measure(line, i === 0 ? TEXT.title : TEXT.caption, i === 0),
    ),
  );
  const width = Math.ceil(widest + PAD);
  const height = Math.ceil(bottom + PAD);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="${width}" height="${height}" fill="white"/>${parts.join('')}</svg>`;
  return { svg, width, height, title: options.title, pixelRatio: PIXEL_RATIO, rasters };
}
