import { PNG } from 'pngjs';
import { writeAtomic } from './figure.js';

/** An RGB picture in memory: `pixels` holds width × height × 3 bytes, row by row. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

export function blankImage(width: number, height: number, grey = 255): RgbImage {
  return { width, height, pixels: new Uint8Array(width * height * 3).fill(grey) };
}

/** The PNG file of an RGB image (8 bits per channel), encoded by pngjs. */
export function encodePng(image: RgbImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  for (let i = 0; i < image.width * image.height; i++) {
    png.data[4 * i] = image.pixels[3 * i]!;
    png.data[4 * i + 1] = image.pixels[3 * i + 1]!;
    png.data[4 * i + 2] = image.pixels[3 * i + 2]!;
    png.data[4 * i + 3] = 255;
  }
  return PNG.sync.write(png, { colorType: 2 });
}

/** Writes `image` as a PNG at `path` (folders created; written beside and renamed, so a reader never sees half). */
export function writePng(path: string, image: RgbImage): string {
  writeAtomic(path, encodePng(image));
  return path;
}
