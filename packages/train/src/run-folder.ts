import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WEIGHTS_FILE } from './litter.js';
import { onDisk } from './storage.js';

const CHECKPOINT = /^(?:step-\d{9}|best)\.ckpt$/;
/** nnkit's own bookkeeping, which says nothing about what the folder holds: locks, temporaries, probes. */
const BOOKKEEPING = /^\.nnkit-|^\..+\.tmp-\d+-/;

/** What a run's output folder (`nnkit train --out`) holds, by kind, as paths relative to it. */
export interface RunFolderContents {
  /** model.json and weights files: a saved model. */
  readonly model: readonly string[];
  /** Checkpoints, in the folder or its `checkpoints/` subfolder (where `nnkit train` writes them). */
  readonly checkpoints: readonly string[];
  /** Anything else: files nnkit did not write, or another program's. */
  readonly other: readonly string[];
}

function entries(dir: string): string[] {
  return existsSync(dir) && statSync(dir).isDirectory()
    ? onDisk('Listing', dir, () => readdirSync(dir))
        .filter((name) => !BOOKKEEPING.test(name))
        .sort()
    : [];
}

/** Sorts what `dir` holds into a saved model, checkpoints and other files (none of them when it does not exist). */
export function runFolderContents(dir: string): RunFolderContents {
  const model: string[] = [];
  const checkpoints: string[] = [];
  const other: string[] = [];
  for (const name of entries(dir)) {
    if (name === 'model.json' || WEIGHTS_FILE.test(name)) model.push(name);
    else if (CHECKPOINT.test(name)) checkpoints.push(name);
    else if (name === 'checkpoints' && statSync(join(dir, name)).isDirectory()) {
      for (const inner of entries(join(dir, name))) (CHECKPOINT.test(inner) ? checkpoints : other).push(`checkpoints/${inner}`);
    } else other.push(name);
  }
  return { model, checkpoints, other };
}

/** "a saved model (model.json, weights-….bin), 3 checkpoints (checkpoints/step-000000020.ckpt, …)": for messages. */
export function describeRunFolder(contents: RunFolderContents): string {
  const list = (names: readonly string[]) => names.slice(0, 3).join(', ') + (names.length > 3 ? `, … (${names.length} in all)` : '');
  return [
    contents.model.length > 0 && `a saved model (${list(contents.model)})`,
    contents.checkpoints.length > 0 && `${contents.checkpoints.length} checkpoint(s) (${list(contents.checkpoints)})`,
    contents.other.length > 0 && `${contents.other.length} other file(s) (${list(contents.other)})`,
  ]
    .filter(Boolean)
    .join(', ');
}

export function isEmptyRunFolder(contents: RunFolderContents): boolean {
  return contents.model.length === 0 && contents.checkpoints.length === 0 && contents.other.length === 0;
}
