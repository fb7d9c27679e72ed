import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { StorageError } from '@nnkit/core';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';
import { FolderInUseError } from './errors.js';
import { lockFolder, waitForFolder } from './folder-lock.js';
import { checkWritableFolder, storageError } from './storage.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'nnkit-storage-'));

/** A file, and a path that would be a folder under it (ENOTDIR on every write). */
function fileInTheWay() {
  const file = join(tempDir(), 'a-file');
  writeFileSync(file, 'not a folder');
  return { file, under: join(file, 'out') };
}

describe('file-system errors', () => {
  it('become StorageErrors naming the path and what to do, whatever the code', () => {
    const cases: [string, RegExp][] = [
      ['EROFS', /read-only \(EROFS\)\. Choose a folder on a writable disk/],
      ['ENOSPC', /no space left on the disk \(ENOSPC\)\. Free some space/],
      ['EACCES', /permission denied \(EACCES\)/],
      ['EWHATEVER', /strange failure \(EWHATEVER\)/],
    ];
    for (const [code, message] of cases) {
      const error = storageError(Object.assign(new Error('strange failure'), { code }), 'Writing', '/data/out/model.json');
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ code: 'NNKIT_STORAGE', path: '/data/out/model.json' });
      expect((error as Error).message).toMatch(/^Writing \/data\/out\/model\.json failed: /);
      expect((error as Error).message).toMatch(message);
    }
    const bug = new TypeError('not a file-system error');
    expect(storageError(bug, 'Writing', '/x')).toBe(bug);
  });

  it('writeFileAtomic refuses a path under a file with a StorageError, leaving no temporary file', () => {
    const { file, under } = fileInTheWay();
    expect(() => writeFileAtomic(join(under, 'model.json'), [Buffer.from('{}')])).toThrow(StorageError);
    expect(() => writeFileAtomic(join(under, 'model.json'), [Buffer.from('{}')])).toThrow(
      /model\.json failed: a part of the path is a file, not a folder \(ENOTDIR\)/,
    );
    const dir = tempDir();
    mkdtempSync(join(dir, 'x')); // a folder where the file should go
    const folder = readdirSync(dir)[0]!;
    expect(() => writeFileAtomic(join(dir, folder), [Buffer.from('{}')])).toThrow(StorageError);
    expect(readdirSync(dir)).toEqual([folder]);
    expect(existsSync(file)).toBe(true);
  });
});

describe('checkWritableFolder', () => {
  it('creates a missing folder and leaves nothing in it', () => {
    const dir = join(tempDir(), 'new', 'out');
    checkWritableFolder(dir, { role: 'The output folder', room: 1 });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a file, a path under a file, and a disk without room, naming the path', () => {
    const { file, under } = fileInTheWay();
    expect(() => checkWritableFolder(file, { role: 'The output folder' })).toThrow(
      `The output folder ${file} expects a folder, got a file.`,
    );
    expect(() => checkWritableFolder(under, { role: 'The output folder' })).toThrow(StorageError);
    expect(() => checkWritableFolder(under, { role: 'The output folder' })).toThrow(
      `Creating the folder ${under} failed: a part of the path is a file`,
    );
    const dir = tempDir();
    expect(() => checkWritableFolder(dir, { role: 'The checkpoint folder', room: 2 ** 60 })).toThrow(
      new RegExp(`The checkpoint folder ${dir} expects room for .* MB on its disk, got .* MB free`),
    );
  });

  it('refuses a read-only folder (chmod 0o500; as root, which writes anyway, the same error injected)', () => {
    const dir = tempDir();
    chmodSync(dir, 0o500);
    try {
      if (process.getuid?.() === 0) {
        // root ignores the mode: the probe write succeeds, so check what an EACCES from it would give instead.
        checkWritableFolder(dir, { role: 'The output folder' });
        const error = storageError(Object.assign(new Error('EACCES'), { code: 'EACCES' }), 'Writing to', dir);
        expect((error as Error).message).toBe(
          `Writing to ${dir} failed: permission denied (EACCES). Make it writable (chmod) or choose another folder.`,
        );
      } else {
        expect(() => checkWritableFolder(dir, { role: 'The output folder' })).toThrow(
          `Writing to ${dir} failed: permission denied (EACCES)`,
        );
      }
    } finally {
      chmodSync(dir, 0o700);
    }
  });
});

describe('folder locks', () => {
  it('refuse a second holder, naming the folder and the process, until released', () => {
    const dir = tempDir();
    const lock = lockFolder(dir, { purpose: 'nnkit train a/b' });
    const error = (() => {
      try {
        lockFolder(dir, { purpose: 'nnkit train c/d' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(FolderInUseError);
    expect((error as Error).message).toContain(
      `${dir} expects one writer at a time, got it in use by nnkit train a/b (pid ${process.pid} on ${hostname()}`,
    );
    expect((error as Error).message).toContain(`delete ${join(dir, '.nnkit-lock')}`);
    // A lock file of another name is another lock.
    lockFolder(dir, { purpose: 'saveModel', file: '.nnkit-save.lock' }).release();
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
    lockFolder(dir, { purpose: 'again' }).release();
  });

  it('take over a lock left by a process that no longer runs on this machine, with a note', () => {
    const dir = tempDir();
    const gone = spawnSync(process.execPath, ['-e', '']).pid!; // exited: its pid is free
    writeFileSync(
      join(dir, '.nnkit-lock'),
      JSON.stringify({
        pid: gone,
        hostname: hostname(),
        startedAt: '2020-01-01T00:00:00Z',
        purpose: 'nnkit train x/y',
      }),
    );
    const notes: string[] = [];
    const lock = lockFolder(dir, { purpose: 'nnkit train x/y', onNote: (line) => notes.push(line) });
    expect(notes).toEqual([
      `taking over the lock ${join(dir, '.nnkit-lock')}: nnkit train x/y (pid ${gone}, started 2020-01-01T00:00:00Z) no longer runs`,
    ]);
    lock.release();
    // One on another machine can't be checked from here: it stays its owner's.
    writeFileSync(
      join(dir, '.nnkit-lock'),
      JSON.stringify({
        pid: gone,
        hostname: 'elsewhere',
        startedAt: '2020-01-01T00:00:00Z',
        purpose: 'nnkit train x/y',
      }),
    );
    expect(() => lockFolder(dir, { purpose: 'nnkit train x/y' })).toThrow(/in use by nnkit train x\/y \(pid \d+ on elsewhere/);
  });

  it('waitForFolder waits for a held lock to be released, and gives up after its timeout', async () => {
    const dir = tempDir();
    const lock = lockFolder(dir, { purpose: 'first' });
    setTimeout(() => lock.release(), 50);
    (await waitForFolder(dir, { purpose: 'second' })).release();
    const held = lockFolder(dir, { purpose: 'first' });
    await expect(waitForFolder(dir, { purpose: 'second', timeoutMs: 30 })).rejects.toBeInstanceOf(FolderInUseError);
    held.release();
  });
});
