import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonText } from '@nnkit/core';
import { onDisk } from './storage.js';

/**
 * Files nnkit writes for a moment and removes, each named with the id of the process that wrote it: an atomic
 * write's temporary (`.model.json.tmp-<pid>-…`), a lock's temporary before it is linked into place
 * (`.nnkit-lock.<pid>-…`), a write probe (`.nnkit-write-probe-<pid>`). A process killed at that moment leaves one.
 */
const TEMPORARY = [/^\..+\.tmp-(\d+)-/, /^\.nnkit-(?:save\.)?lock\.(\d+)-/, /^\.nnkit-write-probe-(\d+)$/] as const;

/** How saveModel names a weights file: by the first 16 hex digits of its sha256. */
export const WEIGHTS_FILE = /^weights-([0-9a-f]{16})\.bin$/;

/** Whether a process with this id runs on this machine (EPERM: it does, as another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The temporary files in `dir` whose writer no longer runs: what a killed save, checkpoint or lock left. */
export function deadTemporaries(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return onDisk('Listing', dir, () => readdirSync(dir)).filter((name) => {
    const pid = TEMPORARY.map((pattern) => pattern.exec(name)?.[1]).find((id) => id !== undefined);
    return pid !== undefined && Number(pid) !== process.pid && !isAlive(Number(pid));
  });
}

/**
 * Weights files in `dir` that its model.json does not name: a save killed between writing its weights and its
 * model.json leaves one. Only where a model.json is there and reads: without one, or with one that is damaged, no
 * weights file can be told to be litter, and none is (they may be the only copy of a model). Call it only while
 * holding the folder's save lock (no save is between the two).
 */
export function orphanWeights(dir: string): string[] {
  const path = join(dir, 'model.json');
  if (!existsSync(path)) return [];
  let named: string | undefined;
  try {
    const json = parseJsonText(readFileSync(path, 'utf8'), path) as { weightsManifest?: { paths?: string[] }[] } | null;
    named = json?.weightsManifest?.[0]?.paths?.[0];
  } catch {
    return [];
  }
  if (named === undefined) return [];
  return onDisk('Listing', dir, () => readdirSync(dir)).filter((name) => WEIGHTS_FILE.test(name) && name !== named);
}

/** Removes `names` from `dir`, telling `onNote` what went and why. */
export function removeLitter(dir: string, names: readonly string[], why: string, onNote: (line: string) => void = () => {}): void {
  if (names.length === 0) return;
  for (const name of names) onDisk('Removing', join(dir, name), () => rmSync(join(dir, name), { force: true }));
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ` … (${names.length} in all)` : '');
  onNote(`removed ${names.length} file(s) from ${dir} that ${why}: ${shown}`);
}

/** Removes the temporary files of writers that no longer run from `dir`, with a note. */
export function cleanDeadTemporaries(dir: string, onNote?: (line: string) => void): void {
  removeLitter(dir, deadTemporaries(dir), 'a killed process left mid-write', onNote);
}
