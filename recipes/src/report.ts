import { join, resolve } from 'node:path';
import type { RecipeOptions, RecipeRow } from '@nnkit/core';

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

/**
 * The learning rate multiplied by `factor` (halved unless told) every epoch after `decayAfter` (epochs count from 0):
 * the recipes' one schedule.
 */
export function halvingAfter(learningRate: number, decayAfter: number, factor = 0.5): (epoch: number) => number {
  return (epoch) => learningRate * factor ** Math.max(0, epoch - decayAfter);
}
