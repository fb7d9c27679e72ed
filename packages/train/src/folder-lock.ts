import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FolderInUseError, type LockOwner } from './errors.js';
import { isAlive } from './litter.js';
import { onDisk, storageError } from './storage.js';

/** A held lock: `release()` (or leaving a `using` block) removes it. */
export interface FolderLock extends Disposable {
  readonly path: string;
  release(): void;
}

export interface LockOptions {
  /** Who holds it, shown to whoever finds the folder in use ("nnkit train"). */
  readonly purpose: string;
  /** The lock file's name in the folder (default `.nnkit-lock`): locks with other names don't exclude each other. */
  readonly file?: string;
  /** Hears when a lock left by a process that no longer runs is taken over. */
  readonly onNote?: (line: string) => void;
}

/**
 * Takes the lock file in `dir`, or returns who holds it. The file appears whole or not at all: its content is
 * written to a temporary file first and hard-linked into place, which fails if the lock exists. A lock whose
 * process is gone from this machine (killed, crashed) is taken over, with a note.
 */
function tryLock(dir: string, options: LockOptions): FolderLock | LockOwner {
  const path = join(dir, options.file ?? '.nnkit-lock');
  const owner: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    purpose: options.purpose,
  };
  const text = JSON.stringify(owner);
  const temporary = `${path}.${process.pid}-${Math.random().toString(36).slice(2)}`;
  onDisk('Creating the folder', dir, () => mkdirSync(dir, { recursive: true }));
  onDisk('Writing', temporary, () => writeFileSync(temporary, text));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(temporary, path);
        const release = () => {
          // Only our own lock: one taken over after ours was (wrongly) judged stale stays its owner's.
          if (readOwnerText(path) === text) rmSync(path, { force: true });
        };
        return { path, release, [Symbol.dispose]: release };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const held = readOwner(path);
      if (held === undefined) continue; // released meanwhile
      if (held.hostname !== owner.hostname || isAlive(held.pid)) return held;
      options.onNote?.(`taking over the lock ${path}: ${held.purpose} (pid ${held.pid}, started ${held.startedAt}) no longer runs`);
      rmSync(path, { force: true });
    }
    return readOwner(path) ?? { pid: 0, hostname: '?', startedAt: '?', purpose: 'another process' };
  } catch (error) {
    throw storageError(error, 'Locking', path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

function readOwnerText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Who holds the lock at `path`; a lock file that does not parse counts as held by an unknown live process. */
function readOwner(path: string): LockOwner | undefined {
  const text = readOwnerText(path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as LockOwner;
  } catch {
    return { pid: 0, hostname: 'unknown', startedAt: 'unknown', purpose: 'an unknown process' };
  }
}

/**
 * Takes `dir` for this process alone, as `nnkit train` does for its output folder over the whole run, so that two
 * writers never interleave their files there. A folder held by a live process is refused with a FolderInUseError
 * naming that process.
 */
export function lockFolder(dir: string, options: LockOptions): FolderLock {
  const lock = tryLock(dir, options);
  if ('release' in lock) return lock;
  throw new FolderInUseError(dir, lock, join(dir, options.file ?? '.nnkit-lock'));
}

/** As `lockFolder`, but waits (up to `timeoutMs`, default 30 s) for a lock held by a live process to be released. */
export async function waitForFolder(dir: string, options: LockOptions & { readonly timeoutMs?: number }): Promise<FolderLock> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const lock = tryLock(dir, options);
    if ('release' in lock) return lock;
    if (Date.now() > deadline) throw new FolderInUseError(dir, lock, join(dir, options.file ?? '.nnkit-lock'));
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
  }
}
