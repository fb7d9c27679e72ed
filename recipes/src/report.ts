import { isAbsolute, join, relative, resolve } from 'node:path';
import type { RecipeOptions, RecipeRow } from '@nnkit/core';
import { writePng } from '@nnkit/viz';

/** A row of a reproduction: the slide's or paper's value next to nnkit's, and whether they agree. */
export function row(quantity: string, target: string | number, measured: string | number, ok?: boolean): RecipeRow {
  return { quantity, target: String(target), measured: String(measured), ...(ok !== undefined && { ok }) };
}

/** Where a recipe writes its figures: `<outDir>/<recipe>/…` (default outDir: nnkit-out). */
export function figurePath(options: RecipeOptions, recipe: string, file: string): string {
  return join(resolve(options.outDir ?? 'nnkit-out'), recipe, file);
}

export function percent(fraction: number, digits = 2): string {
  return `${(100 * fraction).toFixed(digits)}%`;
}

/** `text` as one shell word: as it is where that is safe, else in double quotes. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `"${text.replace(/(["\\$`])/g, '\\$1')}"`;
}

/**
 * The command that uses what a recipe saved, for the recipe to print: `nnkit translate nnkit-out/dates/model "23 Jan
 * 2017"`. The path is written from the current folder where it lies inside it, so the line can be pasted as it is.
 */
export function nnkitCommand(verb: string, path: string, ...args: readonly string[]): string {
  return ['nnkit', verb, shellWord(fromHere(path)), ...args.map((a) => shellWord(isAbsolute(a) ? fromHere(a) : a))].join(' ');
}

/** `path` relative to the current folder where it lies inside it, else as it is. */
function fromHere(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/**
 * A picture as the datasets hold it (values in [0, 1], light ink on black, `height` × `width`) written as a grey PNG
 * that `nnkit predict` and `nnkit caption` read back the same: something to try a saved model on.
 */
export function writeGreyPng(path: string, values: ArrayLike<number>, width: number, height: number): string {
  const pixels = new Uint8Array(3 * width * height);
  for (let i = 0; i < width * height; i++) pixels.fill(Math.round(255 * Math.min(1, Math.max(0, values[i]!))), 3 * i, 3 * i + 3);
  return writePng(path, { width, height, pixels });
}
