import { readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { ConfigError, type Kit, type RecipeDefinition, type RecipeOptions, type RecipeResult, type RecipeRow } from '@nnkit/core';
import { RECIPES_NEED } from '../needs.js';
import { writeAtomic } from '@nnkit/viz';
import { collectEnvironment, sourceCommit, type RunEnvironment } from './environment.js';
import { renderReport } from './report-html.js';
import { verdictOf } from './verdict.js';

/** What `result.json` holds: one run of one recipe, with everything needed to say where its numbers came from. */
export interface RecipeRecord {
  readonly format: 'nnkit-recipe-result';
  readonly version: 1;
  /** The registered key (`recipes/lenet5-mnist`). */
  readonly recipe: string;
  readonly description: string;
  /** The lecture's or paper's claim. */
  readonly reproduces: string;
  readonly quick: boolean;
  /** True when at least one row was checked and none falls short of its target. */
  readonly reproduced: boolean;
  /** Why not reproduced ("smoke run: nothing checked: …", "1 of 3 checks fall short"); absent when reproduced. */
  readonly reason?: string;
  readonly rows: readonly RecipeRow[];
  readonly summary?: string;
  /** The recipe's settings, with the run's seed and whether it was quick. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Figure files, relative to the folder result.json is in. */
  readonly figures: readonly string[];
  readonly environment: RunEnvironment;
  /** ISO 8601, UTC. */
  readonly started: string;
  readonly seconds: number;
  /** The recipe's machine-readable details, paths made relative to the record's folder. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The folder a recipe's figures, `result.json` and `report.html` go to: `<outDir>/<name>` for nnkit's own recipes
 * (`nnkit-out/lenet5-mnist`), `<outDir>/<namespace>-<name>` for another plugin's.
 */
export function recipeFolder(outDir: string, key: string): string {
  const [namespace, name] = key.includes('/') ? (key.split('/') as [string, string]) : ['recipes', key];
  return join(resolve(outDir), namespace === 'recipes' ? name : `${namespace}-${name}`);
}

/** `value` with every string that is a path inside `base` written relative to it (so a record reads the same on any machine). */
function relativePaths(value: unknown, base: string): unknown {
  if (typeof value === 'string') return value.startsWith(base + sep) ? relative(base, value) : value;
  if (Array.isArray(value)) return value.map((v) => relativePaths(v, base));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relativePaths(v, base)]));
  return value;
}

export interface RecordOptions {
  readonly key: string;
  readonly recipe: RecipeDefinition;
  readonly options: RecipeOptions;
  readonly result: RecipeResult;
  readonly folder: string;
  readonly started: Date;
  readonly seconds: number;
  /** The source commit when the run started (the code that ran); read now when not given. */
  readonly commit?: RunEnvironment['commit'];
  readonly kit: Kit;
  /** Versions of what ran the recipe (`@nnkit/cli`), added to the environment's. */
  readonly versions?: Readonly<Record<string, string>>;
}

export function recipeRecord({
  key,
  recipe,
  options,
  result,
  folder,
  started,
  seconds,
  kit,
  versions,
  commit,
}: RecordOptions): RecipeRecord {
  const base = resolve(folder);
  const verdict = verdictOf(result.rows);
  return {
    format: 'nnkit-recipe-result',
    version: 1,
    recipe: key,
    description: recipe.description,
    reproduces: recipe.reproduces,
    quick: Boolean(options.quick),
    reproduced: verdict.reproduced,
    ...(verdict.reason !== undefined && { reason: verdict.reason }),
    rows: result.rows,
    ...(result.summary !== undefined && { summary: result.summary }),
    settings: {
      quick: Boolean(options.quick),
      ...(options.seed !== undefined && { seed: options.seed }),
      ...(result.settings ?? {}),
    },
    figures: result.figures.map((f) => relative(base, resolve(f))),
    environment: collectEnvironment(kit, versions, commit),
    started: started.toISOString(),
    seconds: Math.round(seconds * 10) / 10,
    ...(result.details !== undefined && { details: relativePaths(result.details, base) as Record<string, unknown> }),
  };
}

/**
 * JSON for people too: 2-space indents, but a list of numbers or short strings (a loss curve, a kernel) on one line,
 * so that a record of thousands of values still reads top to bottom.
 */
export function formatJson(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return `[${value.map((v) => JSON.stringify(v) ?? 'null').join(', ')}]`;
    const inner = `${indent}  `;
    return value.length === 0 ? '[]' : `[\n${value.map((v) => inner + formatJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const inner = `${indent}  `;
    return entries.length === 0
      ? '{}'
      : `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Writes `result.json` and `report.html` (one self-contained page, the figures inside it) into the record's folder. */
export function writeRecipeRecord(folder: string, record: RecipeRecord): { result: string; report: string } {
  const result = join(folder, 'result.json');
  const report = join(folder, 'report.html');
  writeAtomic(result, `${formatJson(record)}\n`);
  const figures = record.figures.map((file) => ({ file, png: readFileSync(join(folder, file)) }));
  writeAtomic(report, renderReport(record, figures));
  return { result, report };
}

export interface RecipeRun {
  readonly result: RecipeResult;
  readonly record: RecipeRecord;
  /** Paths of the record's files: result.json and report.html. */
  readonly files: { readonly result: string; readonly report: string };
}

/**
 * One refusal naming every plugin an nnkit recipe needs that the kit lacks, @nnkit/recipes itself included (without
 * it the kit knows no recipe, and its dependency check never runs). Another plugin's recipe (`mine/tiny`) is left to
 * the kit.
 */
function checkRecipePlugins(kit: Kit, key: string): void {
  if (key.includes('/') && !key.startsWith('recipes/')) return;
  const loaded = new Set(kit.plugins.map((p) => p.plugin.meta.name));
  const missing = ['@nnkit/recipes', ...RECIPES_NEED].filter((name) => !loaded.has(name));
  if (missing.length === 0) return;
  throw new ConfigError(
    `runRecipe('${key}') expects the kit to load @nnkit/recipes and the ${RECIPES_NEED.length} plugins it needs, got ${missing.length} missing: ${missing.join(', ')}. ` +
      "Load them all at once: createKit({ plugins: builtinPlugins() }) with builtinPlugins from 'nnkit'.",
  );
}

/**
 * Runs the recipe `key` and writes its record beside its figures: what `nnkit recipe <name>` does.
 *
 * ```ts
 * const { record, files } = await runRecipe(kit, 'recipes/conv-params', { outDir: 'nnkit-out' });
 * ```
 */
export async function runRecipe(
  kit: Kit,
  key: string,
  options: RecipeOptions = {},
  extra: { versions?: Readonly<Record<string, string>> } = {},
): Promise<RecipeRun> {
  checkRecipePlugins(kit, key);
  const recipe = kit.recipe(key);
  const outDir = resolve(options.outDir ?? 'nnkit-out');
  const started = new Date();
  // Read before the run: an hour's training ends after later commits, and the record names the code that ran.
  const commit = sourceCommit();
  const t0 = performance.now();
  const result = await recipe.run({ ...options, outDir }, { kit });
  const seconds = (performance.now() - t0) / 1000;
  const folder = recipeFolder(outDir, key);
  const record = recipeRecord({
    key,
    recipe,
    options: { ...options, outDir },
    result,
    folder,
    started,
    seconds,
    kit,
    commit,
    ...(extra.versions && { versions: extra.versions }),
  });
  return { result, record, files: writeRecipeRecord(folder, record) };
}
