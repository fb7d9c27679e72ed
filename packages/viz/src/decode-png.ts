import { PNG } from 'pngjs';

/** A decoded picture as grey levels in [0, 1], row-major. */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly grey: Float32Array;
}

/**
 * Decodes a PNG (any bit depth, palette or not, interlaced or not: what drawing programs and phones save) into grey
 * levels, with pngjs. Transparent pixels count as white paper. A file that is not a PNG is refused saying so.
 */
export function decodePng(bytes: Uint8Array, source = 'PNG'): GreyImage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 8 || buffer.readUInt32BE(0) !== 0x89504e47) throw new Error(`${source} expects a PNG file, got other bytes.`);
  let png: PNG;
  try {
    png = PNG.sync.read(buffer);
  } catch (error) {
    throw new Error(`${source} expects a readable PNG file, got a damaged one: ${(error as Error).message}. Re-save it as a PNG.`);
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
