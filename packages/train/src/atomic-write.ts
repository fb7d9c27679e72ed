import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { storageError } from './storage.js';

/**
 * Writes a file so that a crash at any moment leaves either the old file or the new one, never a torn one:
 * write a temporary file beside it, fsync it, rename it over the target (atomic on POSIX), fsync the folder
 * so that the rename itself survives a power cut.
 */
export function writeFileAtomic(path: string, chunks: readonly Uint8Array[]): void {
  try {
    writeThenRename(path, chunks);
  } catch (error) {
    throw storageError(error, 'Writing', path);
  }
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
