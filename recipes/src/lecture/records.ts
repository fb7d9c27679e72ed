import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecipeRecord } from '../record/record.js';
import { embedFigure, type EmbeddedFigure } from './embed.js';

/** What the page shows of one recipe: its record with figures embedded and its files, or why there is none. */
export type LectureEntry =
  | {
      readonly name: string;
      readonly record: RecipeRecord;
      /** Where the record was read from. */
      readonly recordFile: string;
      /** The recipe's report.html, where the run left one beside its figures. */
      readonly reportFile?: string;
      readonly figures: readonly EmbeddedFigure[];
    }
  | { readonly name: string; readonly problem: string };

/** `<recipes package>/../results` in a checkout of nnkit, `<recipes package>/results` where a package ships them. */
const PACKAGE_DIR = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** The results/ folder shipped with nnkit (the records the README's table quotes), or undefined where there is none. */
export function shippedResultsDir(): string | undefined {
  return [join(PACKAGE_DIR, 'results'), join(dirname(PACKAGE_DIR), 'results')].find((dir) => existsSync(dir));
}

/**
 * The record of recipe `name` in `dir`, in either layout a record has: `<dir>/<name>.json` (results/, the records of
 * full runs kept in the repository) or `<dir>/<name>/result.json` (what `nnkit recipe --out <dir>` writes). Figures
 * and report.html are looked for in `<dir>/<name>/`, beside the run's result.json, where they never collide with
 * another recipe's files of the same name.
 */
export function readLectureEntry(dir: string, name: string): LectureEntry {
  const folder = join(dir, name);
  const recordFile = [join(folder, 'result.json'), join(dir, `${name}.json`)].find((file) => existsSync(file));
  if (!recordFile) return { name, problem: 'not recorded' };
  let record: RecipeRecord;
  try {
    record = JSON.parse(readFileSync(recordFile, 'utf8')) as RecipeRecord;
  } catch (error) {
    return { name, problem: `its record ${recordFile} is unreadable: ${(error as Error).message}` };
  }
  const wellFormed =
    record?.format === 'nnkit-recipe-result' &&
    typeof record.recipe === 'string' &&
    typeof record.reproduces === 'string' &&
    typeof record.started === 'string' &&
    typeof record.seconds === 'number' &&
    Array.isArray(record.rows) &&
    Array.isArray(record.figures);
  if (!wellFormed) {
    return { name, problem: `${recordFile} is not a record that nnkit recipe writes (format 'nnkit-recipe-result')` };
  }
  if (record.recipe.replace(/^recipes\//, '') !== name)
    return { name, problem: `${recordFile} holds the record of ${record.recipe}, not of ${name}` };
  const report = join(folder, 'report.html');
  return {
    name,
    record,
    recordFile,
    ...(existsSync(report) && { reportFile: report }),
    figures: record.figures.map((file) => embedFigure(join(folder, file), file)),
  };
}

/**
 * The entry of every recipe the slides name, read from `dir`. A recipe in `failures` (its run in `nnkit lecture
 * --run` threw) reads as that failure, whatever an earlier run left.
 */
export function readLectureEntries(
  dir: string,
  names: readonly string[],
  failures: ReadonlyMap<string, string> = new Map(),
): Map<string, LectureEntry> {
  return new Map(
    names.map((name) => {
      const failure = failures.get(name);
      return [name, failure !== undefined ? { name, problem: `not recorded: the run failed (${failure})` } : readLectureEntry(dir, name)];
    }),
  );
}
