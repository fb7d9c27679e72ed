import { accessSync, constants, existsSync, realpathSync, statfsSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { StorageError } from '@nnkit/core';
import { onDisk } from './storage.js';

/**
 * File systems the kernel makes up as it is read: nothing written there is kept, and Node's recursive mkdir can loop
 * forever under /proc. A folder under one of them is refused before anything is created.
 */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'] as const;

/** Room asked for when the caller names none: enough for a small model.json and its weights. */
const DEFAULT_ROOM = 2 ** 20;

export interface OutputFolderOptions {
  /** Names the folder in messages: "The output folder (--out)". */
  readonly role: string;
  /** Bytes that must be free on its disk (default 1 MiB). */
  readonly room?: number;
}

export interface OutputFolderCheck {
  /** The absolute path checked. */
  readonly path: string;
  /** Whether the folder exists already (else it would be created, with its missing parents). */
  readonly exists: boolean;
  /** The nearest folder on the path that exists: the path itself, or the parent its creation would start from. */
  readonly existing: string;
  /** Bytes free on its disk. */
  readonly free: number;
}

function virtualRoot(path: string): string | undefined {
  return VIRTUAL_ROOTS.find((root) => path === root || path.startsWith(`${root}${sep}`));
}

/**
 * Checks that `path` can be nnkit's output folder, creating nothing: not under /proc, /sys or /dev (through a
 * symbolic link either), not a file, not under a file, writable, and on a disk with `room` bytes free. Every refusal
 * is a StorageError that names the path and the fix. `nnkit train --out`, `nnkit new plugin --dir` and
 * `nnkit doctor --out` call it before any work, so they agree on what a usable folder is.
 */
export function checkOutputFolder(path: string, options: OutputFolderOptions): OutputFolderCheck {
  const { role, room = DEFAULT_ROOM } = options;
  const absolute = resolve(path);
  const refuseVirtual = (root: string, where: string) =>
    new StorageError(
      absolute,
      `${role} ${absolute} expects a folder on a disk, got ${where} ${root}, a virtual file system the kernel makes (nothing written there is kept). Choose a folder on a disk.`,
    );
  const lexical = virtualRoot(absolute);
  if (lexical) throw refuseVirtual(lexical, 'a path under');

  // The nearest part of the path that exists: the folder itself, or where creating it would start.
  let existing = absolute;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const stats = onDisk('Reading', existing, () => statSync(existing));
  if (!stats.isDirectory()) {
    throw new StorageError(
      absolute,
      existing === absolute
        ? `${role} ${absolute} expects a folder, got a file. Choose another path, or move the file away.`
        : // Worded as the ENOTDIR that creating it would meet, naming the file in the way.
          `Creating the folder ${absolute} failed: a part of the path is a file, not a folder (ENOTDIR). ${existing} is a file: choose a path whose parents are folders, or move the file away.`,
    );
  }
  const real = onDisk('Reading', existing, () => realpathSync(existing));
  const linked = virtualRoot(real);
  if (linked) throw refuseVirtual(linked, `a link (${existing} → ${real}) into`);

  // W_OK answers for read-only disks (EROFS) and folder modes; X_OK: a folder that can't be entered can't be written into.
  onDisk('Writing to', existing, () => accessSync(existing, constants.W_OK | constants.X_OK));
  const { bavail, bsize } = onDisk('Measuring the free space of', existing, () => statfsSync(existing));
  const free = bavail * bsize;
  if (free < room) {
    throw new StorageError(
      absolute,
      `${role} ${absolute} expects room for ${megabytes(room)} on its disk, got ${megabytes(free)} free. Free some space or choose a folder on another disk.`,
    );
  }
  return { path: absolute, exists: existing === absolute, existing, free };
}

export function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}
