import type { Box } from './resample.js';

/** Scenes are SCENE_SIZE × SCENE_SIZE: three 2× poolings leave a 7×7 grid, two a 14×14 one. */
export const SCENE_SIZE = 56;

export type DigitSize = 'small' | 'large';
/** A digit's longer side in pixels, by size word: two ranges far apart, nothing in between. */
export const SIZE_RANGES: Readonly<Record<DigitSize, readonly [number, number]>> = { small: [14, 17], large: [24, 28] };

export const POSITIONS = ['top left', 'top', 'top right', 'left', 'center', 'right', 'bottom left', 'bottom', 'bottom right'] as const;
export type Position = (typeof POSITIONS)[number];

/**
 * Where a lone digit's box centre lies along each axis, by third of the canvas: the first ≤ 18, the middle 25–31,
 * the last ≥ 38 (a gap of at least 6 px between thirds, so that no centre is near a border between two words).
 */
export const THIRDS = { first: 18, middle: [25, 31], last: 38 } as const;
/** Two digits side by side or stacked: at least this many pixels between their boxes along the line they share. */
export const PAIR_GAP = 3;
/** …and their centres at most this far apart across it (each within ±3 px of a common line, 1 px of rounding). */
export const PAIR_ALIGNMENT = 7;
/**
 * Three or four digits: box centres at least this many pixels apart from left to right, left and right edges in
 * the same order at least ROW_EDGE_SPACING apart (no box spans another's columns), and no boxes touching.
 */
export const ROW_SPACING = 9;
export const ROW_EDGE_SPACING = 3;

/** A digit on the canvas: its box, class, size word and index in its MNIST file. */
export interface SceneDigit extends Box {
  readonly label: number;
  readonly size: DigitSize;
  readonly mnistIndex: number;
}

/**
 * What a scene shows, in the order its caption names it: a lone digit and where it is; two digits, the upper or
 * left one first; or three or four digits from left to right.
 */
export type Scene =
  | { readonly arrangement: 'single'; readonly position: Position; readonly digits: readonly SceneDigit[] }
  | { readonly arrangement: 'above' | 'left of'; readonly digits: readonly SceneDigit[] }
  | { readonly arrangement: 'row'; readonly digits: readonly SceneDigit[] };

/** The digits of a scene to be: MNIST index and label, and how big each would be at a given longer side. */
export interface SceneDigitSource {
  readonly indices: readonly number[];
  label(index: number): number;
  shape(index: number, longSide: number): { width: number; height: number };
}

const between = (random: () => number, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1)); // integers lo … hi

/** The left (or top) coordinates that put a box of `length` in a third of the canvas, by its centre. */
function thirdRange(third: 0 | 1 | 2, length: number): [number, number] {
  const half = length / 2;
  if (third === 0) return [0, Math.floor(THIRDS.first - half)];
  if (third === 1) return [Math.ceil(THIRDS.middle[0] - half), Math.floor(THIRDS.middle[1] - half)];
  return [Math.ceil(THIRDS.last - half), SCENE_SIZE - length];
}

type Shaped = { index: number; size: DigitSize; width: number; height: number };
const place = (d: Shaped, x: number, y: number, label: (i: number) => number): SceneDigit => ({
  x,
  y,
  width: d.width,
  height: d.height,
  label: label(d.index),
  size: d.size,
  mnistIndex: d.index,
});

function single(random: () => number, d: Shaped, source: SceneDigitSource): Scene {
  const p = Math.floor(random() * 9);
  const [column, row] = [(p % 3) as 0 | 1 | 2, Math.floor(p / 3) as 0 | 1 | 2];
  const x = between(random, ...thirdRange(column, d.width));
  const y = between(random, ...thirdRange(row, d.height));
  return { arrangement: 'single', position: POSITIONS[p]!, digits: [place(d, x, y, source.label)] };
}

function pair(random: () => number, [a, b]: Shaped[], source: SceneDigitSource): Scene | undefined {
  const stacked = random() < 0.5;
  const along = (d: Shaped) => (stacked ? d.height : d.width);
  const across = (d: Shaped) => (stacked ? d.width : d.height);
  const free = SCENE_SIZE - along(a!) - along(b!) - PAIR_GAP;
  if (free < 0) return undefined;
  const start = between(random, 0, free);
  const next = between(random, start + along(a!) + PAIR_GAP, SCENE_SIZE - along(b!));
  const half = Math.max(across(a!), across(b!)) / 2 + 3;
  const line = half + random() * (SCENE_SIZE - 2 * half);
  const offset = (d: Shaped) => Math.max(0, Math.min(SCENE_SIZE - across(d), Math.round(line + (random() * 2 - 1) * 3 - across(d) / 2)));
  const [crossA, crossB] = [offset(a!), offset(b!)];
  const digits = stacked
    ? [place(a!, crossA, start, source.label), place(b!, crossB, next, source.label)]
    : [place(a!, start, crossA, source.label), place(b!, next, crossB, source.label)];
  return { arrangement: stacked ? 'above' : 'left of', digits };
}

const apart = (p: Box, q: Box) => p.x + p.width < q.x || q.x + q.width < p.x || p.y + p.height < q.y || q.y + q.height < p.y;

function row(random: () => number, shaped: Shaped[], source: SceneDigitSource): Scene | undefined {
  // Centres spaced ≥ ROW_SPACING + 1 before rounding: n uniform offsets in what the spacing leaves, sorted.
  const [lo, hi, step] = [7, SCENE_SIZE - 7, ROW_SPACING + 1];
  const offsets = shaped.map(() => random() * (hi - lo - step * (shaped.length - 1))).sort((p, q) => p - q);
  const digits: SceneDigit[] = [];
  for (const [i, d] of shaped.entries()) {
    const x = Math.round(lo + offsets[i]! + i * step - d.width / 2);
    if (x < 0 || x + d.width > SCENE_SIZE) return undefined;
    const digit = place(d, x, between(random, 0, SCENE_SIZE - d.height), source.label);
    const last = digits[digits.length - 1];
    if (last && (digit.x - last.x < ROW_EDGE_SPACING || digit.x + digit.width - (last.x + last.width) < ROW_EDGE_SPACING)) return undefined;
    if (!digits.every((other) => apart(other, digit))) return undefined;
    digits.push(digit);
  }
  return { arrangement: 'row', digits };
}

/**
 * Lays out `source.indices` (one to four digits) on the canvas: draws each digit's size word and longer side, then
 * places them by the rules above; a layout that does not fit is redrawn (positions up to 50 times, then sizes), so
 * the same random stream always gives the same scene.
 */
export function layoutScene(random: () => number, source: SceneDigitSource): Scene {
  const count = source.indices.length;
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const shaped = source.indices.map((index): Shaped => {
      const size: DigitSize = random() < 0.5 ? 'small' : 'large';
      return { index, size, ...source.shape(index, between(random, ...SIZE_RANGES[size])) };
    });
    if (count === 1) return single(random, shaped[0]!, source);
    for (let tries = 0; tries < 50; tries++) {
      const scene = count === 2 ? pair(random, shaped, source) : row(random, shaped, source);
      if (scene) return scene;
    }
  }
  throw new Error(`layoutScene could not place ${count} digits on a ${SCENE_SIZE}×${SCENE_SIZE} canvas in 1,000 size draws.`);
}
