import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFontMetrics, type FontMetrics } from './font-metrics.js';

/**
 * The one font every figure is drawn in, shipped in an npm package (dejavu-fonts-ttf) and loaded by path: the
 * pictures come out the same on a machine without any system font, and the font's coverage (∂, ‖, Σ, ≤, →, Greek,
 * Cyrillic) fits the lecture's notation.
 */
export const FONT_FAMILY = 'DejaVu Sans';

let dir: string | undefined;
const fontDir = () => (dir ??= join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf'));

/** Paths of DejaVu Sans (regular, bold, oblique), resolved from the installed package. */
export function fontFiles(): readonly string[] {
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'].map((file) => join(fontDir(), file));
}

let metrics: { regular: FontMetrics; bold: FontMetrics } | undefined;

/** Width in CSS pixels of `text` at `size` in DejaVu Sans, from the font's own advance widths. */
export function textWidth(text: string, size: number, bold = false): number {
  metrics ??= {
    regular: readFontMetrics(join(fontDir(), 'DejaVuSans.ttf')),
    bold: readFontMetrics(join(fontDir(), 'DejaVuSans-Bold.ttf')),
  };
  return (bold ? metrics.bold : metrics.regular).width(text, size);
}
