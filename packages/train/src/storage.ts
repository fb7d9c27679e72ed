import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '@nnkit/core';
import { checkOutputFolder } from './output-folder.js';

/** What Node's file-system error codes mean, and what to do about each. */
const REASONS: Readonly<Record<string, readonly [what: string, fix: string]>> = {
  ENOENT: ['no such file or folder', 'Check the path.'],
  ENOTDIR: ['a part of the path is a file, not a folder', 'Choose a path whose parents are folders.'],
  EISDIR: ['a folder where a file should be', 'Move the folder away or choose another path.'],
  EEXIST: ['a file is already there', 'Move it away or choose another path.'],
  EACCES: ['permission denied', 'Make it writable (chmod) or choose another folder.'],
  EPERM: ['operation not permitted', 'Make it writable (chmod) or choose another folder.'],
  EROFS: ['the file system is read-only', 'Choose a folder on a writable disk.'],
  ENOSPC: ['no space left on the disk', 'Free some space or choose a folder on another disk.'],
  EDQUOT: ['the disk quota is used up', 'Free some space or choose a folder on another disk.'],
  EMFILE: ['too many open files', 'Close other programs or raise the limit (ulimit -n).'],
};

/**
 * Turns an error from `node:fs` into a StorageError that names the path and says what to do; anything else
 * (a bug, an NnkitError already) passes through unchanged. `action`: what nnkit was doing, as in "writing".
 */
export function storageError(error: unknown, action: string, path: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || code.startsWith('NNKIT_')) return error;
  const [what, fix] = REASONS[code] ?? [(error as Error).message, 'Check the path and the disk.'];
  return new StorageError(path, `${action} ${path} failed: ${what} (${code}). ${fix}`, { cause: error });
}

/** Runs a file-system call, rethrowing its errors as StorageErrors naming `path`. */
export function onDisk<T>(action: string, path: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw storageError(error, action, path);
  }
}

/**
 * Makes sure `dir` is a folder nnkit can write to, before any work that ends in writing there: checked first as
 * `checkOutputFolder` does (not virtual, not a file or under one, writable, `room` bytes free), then created if
 * missing and probed (a file written and removed). `role` names the folder in messages ("The output folder").
 */
export function checkWritableFolder(dir: string, options: { role: string; room?: number }): void {
  checkOutputFolder(dir, options);
  onDisk('Creating the folder', dir, () => mkdirSync(dir, { recursive: true }));
  const probe = join(dir, `.nnkit-write-probe-${process.pid}`);
  onDisk('Writing to', dir, () => {
    writeFileSync(probe, '');
    rmSync(probe);
  });
}
