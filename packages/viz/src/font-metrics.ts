import { readFileSync } from 'node:fs';

/**
 * Advance widths of a TrueType font's glyphs, read from its `cmap`, `hmtx`, `hhea` and `head` tables (kerning
 * ignored): how wide a line of text will be, so that titles, legends and captions get the room they need.
 */
export interface FontMetrics {
  /** Width of `text` at `size` CSS pixels. */
  width(text: string, size: number): number;
}

function table(font: Buffer, tag: string): number {
  const count = font.readUInt16BE(4);
  for (let i = 0; i < count; i++) {
    const record = 12 + 16 * i;
    if (font.toString('latin1', record, record + 4) === tag) return font.readUInt32BE(record + 8);
  }
  throw new Error(`font expects a '${tag}' table, got none (not a TrueType font?).`);
}

/** Character code → glyph index, from the Unicode subtable of `cmap` (format 12 where there is one, else 4). */
function characterMap(font: Buffer): (code: number) => number {
  const cmap = table(font, 'cmap');
  const subtables = Array.from({ length: font.readUInt16BE(cmap + 2) }, (_, i) => ({
    platform: font.readUInt16BE(cmap + 4 + 8 * i),
    encoding: font.readUInt16BE(cmap + 6 + 8 * i),
    offset: cmap + font.readUInt32BE(cmap + 8 + 8 * i),
  }));
  const format12 = subtables.find((s) => font.readUInt16BE(s.offset) === 12 && (s.platform === 3 || s.platform === 0));
  if (format12) {
    const groups = font.readUInt32BE(format12.offset + 12);
    return (code) => {
      for (let g = 0; g < groups; g++) {
        const at = format12.offset + 16 + 12 * g;
        const [start, end] = [font.readUInt32BE(at), font.readUInt32BE(at + 4)];
        if (code >= start && code <= end) return font.readUInt32BE(at + 8) + code - start;
      }
      return 0;
    };
  }
  const format4 = subtables.find((s) => font.readUInt16BE(s.offset) === 4 && (s.platform === 3 || s.platform === 0));
  if (!format4) throw new Error('font expects a Unicode cmap subtable of format 4 or 12, got none.');
  const at = format4.offset;
  const segments = font.readUInt16BE(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  return (code) => {
    for (let s = 0; s < segments; s++) {
      if (code > font.readUInt16BE(ends + 2 * s)) continue;
      const start = font.readUInt16BE(starts + 2 * s);
      if (code < start) return 0;
      const delta = font.readInt16BE(deltas + 2 * s);
      const rangeOffset = font.readUInt16BE(rangeOffsets + 2 * s);
      if (rangeOffset === 0) return (code + delta) & 0xffff;
      const glyph = font.readUInt16BE(rangeOffsets + 2 * s + rangeOffset + 2 * (code - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}

export function readFontMetrics(path: string): FontMetrics {
  const font = readFileSync(path);
  const unitsPerEm = font.readUInt16BE(table(font, 'head') + 18);
  const metricsCount = font.readUInt16BE(table(font, 'hhea') + 34);
  const hmtx = table(font, 'hmtx');
  const glyphOf = characterMap(font);
  const advance = (glyph: number) => font.readUInt16BE(hmtx + 4 * Math.min(glyph, metricsCount - 1));
  const cache = new Map<number, number>();
  const em = (code: number) => {
    let width = cache.get(code);
    if (width === undefined) {
      width = advance(glyphOf(code)) / unitsPerEm;
      cache.set(code, width);
    }
    return width;
  };
  return {
    width(text, size) {
      let total = 0;
      for (const char of text) total += em(char.codePointAt(0)!);
      return total * size;
    },
  };
}
