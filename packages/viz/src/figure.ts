import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { PNG } from 'pngjs';
import { FONT_FAMILY, fontFiles } from './fonts.js';

/** Pixels placed into a figure exactly as given (image grids): RGB, row by row, at device resolution. */
export interface Raster {
  readonly width: number;
  readonly height: number;
  /** width × height × 3 bytes. */
  readonly pixels: Uint8Array;
}

/** A raster's place in a figure, in CSS pixels; it covers (width, height) / pixelRatio of them. */
export interface PlacedRaster {
  readonly x: number;
  readonly y: number;
  readonly raster: Raster;
}

/**
 * A figure: SVG in CSS pixels, plus the rasters that must come out pixel-exact in the PNG. Made by `lineFigure`,
 * `heatmapFigure`, `barFigure`, `imageGridFigure` or `vegaLiteFigure`; written with `writeFigure`.
 */
export interface Figure {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
  /** One line saying what the figure shows: its title (a report's alt text). */
  readonly title: string;
  /** Drawn at `pixelRatio` device pixels per CSS pixel; rasters were made for it. */
  readonly pixelRatio: number;
  readonly rasters?: readonly PlacedRaster[];
}

/** Device pixels per CSS pixel in the PNG: 2 keeps text sharp on high-density screens and in print. */
export const PIXEL_RATIO = 2;

type ResvgModule = typeof import('@resvg/resvg-js');
let resvg: ResvgModule | undefined;

/**
 * resvg's native binary comes as an optional dependency for each platform; it is loaded at the first figure, not at
 * import, so that a program that draws nothing runs where it is missing.
 */
function loadResvg(): ResvgModule {
  if (!resvg) {
    try {
      resvg = createRequire(import.meta.url)('@resvg/resvg-js') as ResvgModule;
    } catch (error) {
      throw new Error(
        `@nnkit/viz expects @resvg/resvg-js with its binary for ${process.platform}-${process.arch} to draw figures, got: ${(error as Error).message}. ` +
          'Install optional dependencies (npm installs them unless told --omit=optional).',
      );
    }
  }
  return resvg;
}

/** The figure as PNG bytes: the SVG rasterized by resvg in DejaVu Sans, then each raster pasted over its place exactly. */
export function renderPng(figure: Figure): Buffer {
  const { Resvg } = loadResvg();
  const rendered = new Resvg(figure.svg, {
    fitTo: { mode: 'zoom', value: figure.pixelRatio },
    font: {
      loadSystemFonts: false,
      fontFiles: [...fontFiles()],
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    background: 'white',
    logLevel: 'error',
  }).render();
  const png = new PNG({ width: rendered.width, height: rendered.height });
  rendered.pixels.copy(png.data);
  for (const { x, y, raster } of figure.rasters ?? [])
    paste(png, raster, Math.round(x * figure.pixelRatio), Math.round(y * figure.pixelRatio));
  return withTitle(PNG.sync.write(png, { colorType: 2 }), figure.title);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The PNG with its title in an iTXt chunk under the standard keyword `Title` (UTF-8, so ‖∂E/∂h‖ survives): image
 * viewers show it, and a report reads it back as the figure's alt text.
 */
function withTitle(png: Buffer, title: string): Buffer {
  const body = Buffer.concat([Buffer.from('iTXtTitle\0\0\0\0\0', 'latin1'), Buffer.from(title, 'utf8')]);
  const chunk = Buffer.alloc(body.length + 8);
  chunk.writeUInt32BE(body.length - 4, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), body.length + 4);
  const end = png.length - 12; // IEND: length, type, CRC
  return Buffer.concat([png.subarray(0, end), chunk, png.subarray(end)]);
}

/** The `Title` a PNG carries (as `renderPng` writes it), or undefined. */
export function pngTitle(png: Uint8Array): string | undefined {
  const buffer = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  for (let offset = 8; offset + 12 <= buffer.length;) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('latin1', offset + 4, offset + 8);
    if (type === 'iTXt' || type === 'tEXt') {
      const data = buffer.subarray(offset + 8, offset + 8 + length);
      const keywordEnd = data.indexOf(0);
      if (data.toString('latin1', 0, keywordEnd) === 'Title') {
        if (type === 'tEXt') return data.toString('latin1', keywordEnd + 1);
        // iTXt: keyword \0 compression flag, method, language \0, translated keyword \0, text
        if (data[keywordEnd + 1] !== 0) return undefined; // compressed: not what renderPng writes
        const language = data.indexOf(0, keywordEnd + 3);
        const translated = data.indexOf(0, language + 1);
        return data.toString('utf8', translated + 1);
      }
    }
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  return undefined;
}

/** Copies `raster` into `png` (RGBA) with its top-left corner at device pixel (left, top), clipped to the image. */
function paste(png: PNG, raster: Raster, left: number, top: number): void {
  for (let y = 0; y < raster.height; y++) {
    const py = top + y;
    if (py < 0 || py >= png.height) continue;
    for (let x = 0; x < raster.width; x++) {
      const px = left + x;
      if (px < 0 || px >= png.width) continue;
      const from = (y * raster.width + x) * 3;
      const to = (py * png.width + px) * 4;
      png.data[to] = raster.pixels[from]!;
      png.data[to + 1] = raster.pixels[from + 1]!;
      png.data[to + 2] = raster.pixels[from + 2]!;
      png.data[to + 3] = 255;
    }
  }
}

export interface WriteFigureOptions {
  /** Also write the SVG beside the PNG (`name.svg`). Default false. */
  readonly svg?: boolean;
}

/**
 * Writes `figure` as a PNG at `path` (folders created; written beside and renamed, so a reader never sees half of
 * one) and returns the path.
 */
export async function writeFigure(path: string, figure: Figure | Promise<Figure>, options: WriteFigureOptions = {}): Promise<string> {
  const done = await figure;
  writeAtomic(path, renderPng(done));
  if (options.svg) writeAtomic(path.replace(/\.png$/i, '') + '.svg', done.svg);
  return path;
}

export function writeAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

/** Text for SVG: `<`, `>`, `&` and quotes escaped. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
