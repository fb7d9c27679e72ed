import { readFileSync, statSync } from 'node:fs';
import { PNG } from 'pngjs';

/** A decoded picture as grey levels in [0, 1], row-major. */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly grey: Float32Array;
}

/**
 * The most pixels decodePng accepts unless told otherwise: 50 megapixels (an 8000×6000 photo), about 800 MB while
 * decoding (pngjs's RGBA copy, the grey levels). A small file can claim far more: PNG compresses a blank page of
 * 20000×20000 pixels into 439 KB, which would need 6.4 GB.
 */
export const MAX_PNG_PIXELS = 50_000_000;

/**
 * A picture that could not be read: missing, a directory, not a PNG, damaged or too large. Its own class (this
 * package does not depend on @nnkit/core) with DataError's code, so that `err.code` and `err instanceof NnkitError`
 * treat it as core's DataError.
 */
export class PngError extends Error {
  readonly code = 'NNKIT_DATA';
  override readonly name = 'PngError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface DecodePngOptions {
  /** Refuse pictures of more pixels than this, before decoding them. Default MAX_PNG_PIXELS. */
  readonly maxPixels?: number;
}

/** Width and height from the IHDR chunk, which a PNG must start with (after its 8-byte signature). */
function pngSize(buffer: Buffer, source: string): { width: number; height: number } {
  // signature (8) | length (4) | 'IHDR' (4) | width (4) | height (4) | …
  if (buffer.length < 24 || buffer.toString('latin1', 12, 16) !== 'IHDR') {
    throw new PngError(
      `${source} expects a PNG file that starts with its IHDR header, got ${buffer.length} bytes without one. Re-save it as a PNG.`,
    );
  }
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

/**
 * Decodes a PNG (any bit depth, palette or not, interlaced or not: what drawing programs and phones save) into grey
 * levels, with pngjs. Transparent pixels count as white paper. A file that is not a PNG, a damaged one and one of more
 * than `maxPixels` pixels (read from its header, before anything is allocated) are refused with a PngError.
 */
export function decodePng(bytes: Uint8Array, source = 'PNG', { maxPixels = MAX_PNG_PIXELS }: DecodePngOptions = {}): GreyImage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 8 || buffer.readUInt32BE(0) !== 0x89504e47) throw new PngError(`${source} expects a PNG file, got other bytes.`);
  const size = pngSize(buffer, source);
  if (size.width * size.height > maxPixels) {
    throw new PngError(
      `${source} expects a picture of at most ${maxPixels / 1e6} megapixels, got ${size.width}×${size.height} (${((size.width * size.height) / 1e6).toFixed(1)} megapixels). ` +
        `A digit is read at 28×28: shrink the picture first, e.g. to 280×280 (ImageMagick: magick in.png -resize 280x280 out.png).`,
    );
  }
  // Every PNG ends with an IEND chunk; without one the file was cut short (pngjs would only say its stream ended early).
  if (buffer.lastIndexOf('IEND', undefined, 'latin1') < 0) {
    throw new PngError(
      `${source} expects a whole PNG file, got a truncated one: its ${buffer.length} bytes end before the IEND chunk that closes every PNG. Copy or save it again.`,
    );
  }
  let png: PNG;
  try {
    png = PNG.sync.read(buffer);
  } catch (error) {
    throw new PngError(`${source} expects a readable PNG file, got a damaged one: ${(error as Error).message}. Re-save it as a PNG.`, {
      cause: error,
    });
  }
  const { width, height, data } = png; // RGBA, 8 bits per channel whatever the file held
  const grey = new Float32Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    const level = (0.299 * data[4 * i]! + 0.587 * data[4 * i + 1]! + 0.114 * data[4 * i + 2]!) / 255;
    const alpha = data[4 * i + 3]! / 255;
    grey[i] = alpha * level + (1 - alpha); // over white paper
  }
  return { width, height, grey };
}

/** Reads and decodes the PNG file at `path`; a missing file, a directory or an unreadable one is a PngError naming it. */
export function readPng(path: string, options: DecodePngOptions = {}): GreyImage {
  let bytes: Buffer;
  try {
    if (statSync(path).isDirectory())
      throw new PngError(`${path} expects a PNG file, got a directory. Pass the pictures in it one by one (${path}/*.png).`);
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof PngError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new PngError(
      code === 'ENOENT'
        ? `${path} expects a PNG file, got no file by that name. Check the path.`
        : `${path} expects a readable PNG file, got ${code ?? 'an error'}: ${(error as Error).message}.`,
      { cause: error },
    );
  }
  return decodePng(bytes, path, options);
}
