import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StorageError, type FileStorage } from '@nnkit/core';

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
 * Writes a file so that a crash at any moment leaves either the old file or the new one, never a torn one:
 * write a temporary file beside it, fsync it, rename it over the target (atomic on POSIX), fsync the folder
 * so that the rename itself survives a power cut.
 */
export function writeFileAtomic(path: string, chunks: readonly Uint8Array[]): void {
  onDisk('Writing', path, () => writeThenRename(path, chunks));
}

function writeThenRename(path: string, chunks: readonly Uint8Array[]): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temporary = join(dir, `.${basename(path)}.tmp-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  const fd = openSync(temporary, 'w');
  try {
    for (const chunk of chunks) {
      let written = 0;
      while (written < chunk.length) written += writeSync(fd, chunk, written, chunk.length - written);
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/** nnkit's default storage: files on disk, each written atomically (`writeFileAtomic`), errors as StorageErrors. */
export function fileSystemStorage(): FileStorage {
  return {
    name: 'the file system',
    local: true,
    exists: (path) => existsSync(path),
    read: (path) => onDisk('Reading', path, () => readFileSync(path)),
    write: writeFileAtomic,
    list: (dir) => (existsSync(dir) ? onDisk('Listing', dir, () => readdirSync(dir)) : []),
    remove: (path) => onDisk('Removing', path, () => rmSync(path, { force: true })),
  };
}
