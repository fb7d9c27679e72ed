import { fillRect } from './grid.js';
import type { RgbImage } from './png.js';

/** A 3×5 pixel font for the digits 0–9, '-' and '.': enough to label axes and tiles without a font file. */
const GLYPHS: Record<string, string> = {
  '0': '111101101101111',
  '1': '010110010010111',
  '2': '111001111100111',
  '3': '111001111001111',
  '4': '101101111001001',
  '5': '111100111001111',
  '6': '111100111101111',
  '7': '111001001001001',
  '8': '111101111101111',
  '9': '111101111001111',
  '-': '000000111000000',
  '.': '000000000000010',
};

/** Width in pixels of `text` drawn at `scale`. */
export function textWidth(text: string, scale: number): number {
  return text.length * 4 * scale - scale;
}

/** @deprecated Figures draw text in DejaVu Sans now (`imageGridFigure`). Draws the digits of `text` (other characters leave a gap) with its top-left corner at (left, top). */
export function drawDigits(
  image: RgbImage,
  text: string,
  left: number,
  top: number,
  scale: number,
  color: readonly [number, number, number],
): void {
  [...text].forEach((char, index) => {
    const glyph = GLYPHS[char];
    if (!glyph) return;
    for (let bit = 0; bit < 15; bit++) {
      if (glyph[bit] === '1')
        fillRect(image, left + index * 4 * scale + (bit % 3) * scale, top + Math.floor(bit / 3) * scale, scale, scale, color);
    }
  });
}
