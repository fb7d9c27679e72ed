import { existsSync, readFileSync } from 'node:fs';
import { pngTitle } from '@nnkit/viz';

/** A figure ready to put inside the page, or why it cannot be. */
export type EmbeddedFigure =
  | {
      readonly file: string;
      readonly path: string;
      readonly dataUri: string;
      readonly title: string;
      readonly width: number;
      readonly height: number;
    }
  | { readonly file: string; readonly missing: string };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The PNG at `path` as a data: URI with its size and title (what the page needs to show it without fetching
 * anything), or a one-line reason where there is no such file or it is not a PNG: the page says so instead of
 * showing a broken image.
 */
export function embedFigure(path: string, file: string): EmbeddedFigure {
  if (!existsSync(path)) return { file, missing: 'not beside this record' };
  let png: Buffer;
  try {
    png = readFileSync(path);
  } catch (error) {
    return { file, missing: `unreadable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  // The header: the signature, then IHDR's width and height (bytes 16–23).
  if (png.length < 24 || PNG_SIGNATURE.some((byte, i) => png[i] !== byte)) return { file, missing: 'not a PNG file' };
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  return {
    file,
    path,
    dataUri: `data:image/png;base64,${png.toString('base64')}`,
    title: pngTitle(png) ?? file,
    width,
    height,
  };
}
