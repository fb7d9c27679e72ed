import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StorageError } from '@nnkit/core';
import { describe, expect, it } from 'vitest';
import { checkOutputFolder } from './output-folder.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'nnkit-out-check-'));
const role = 'The output folder (--out)';

describe('checkOutputFolder', () => {
  it('accepts a folder to be made, creating nothing, and says where its creation would start', () => {
    const root = tempDir();
    const path = join(root, 'a', 'b');
    const check = checkOutputFolder(path, { role });
    expect(check).toMatchObject({ path, exists: false, existing: root });
    expect(check.free).toBeGreaterThan(0);
    expect(existsSync(join(root, 'a'))).toBe(false);
    expect(checkOutputFolder(root, { role })).toMatchObject({ exists: true, existing: root });
  });

  it('refuses /proc, /sys and /dev (where a recursive mkdir can loop), directly or through a link', () => {
    for (const path of ['/proc/x', '/sys/x/y', '/dev/nnkit', '/proc']) {
      expect(() => checkOutputFolder(path, { role })).toThrow(StorageError);
      expect(() => checkOutputFolder(path, { role })).toThrow(
        new RegExp(
          `^${role.replace(/[()]/g, '\\$&')} ${path} expects a folder on a disk, got a path under /(proc|sys|dev), a virtual file system`,
        ),
      );
    }
    const link = join(tempDir(), 'to-proc');
    symlinkSync('/proc/self', link);
    expect(() => checkOutputFolder(join(link, 'x'), { role })).toThrow(/got a link \(.*to-proc → \/proc\/\d+\) into \/proc/);
    expect(() => checkOutputFolder('/process-is-not-proc/x', { role })).not.toThrow(/virtual/);
  });

  it('refuses a file, and a path under a file, naming the file', () => {
    const root = tempDir();
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    expect(() => checkOutputFolder(file, { role })).toThrow(`${role} ${file} expects a folder, got a file.`);
    expect(() => checkOutputFolder(join(file, 'x', 'y'), { role })).toThrow(
      `Creating the folder ${join(file, 'x', 'y')} failed: a part of the path is a file, not a folder (ENOTDIR). ${file} is a file`,
    );
  });

  it('refuses a disk without the room asked for, naming both sizes', () => {
    expect(() => checkOutputFolder(tempDir(), { role, room: 2 ** 60 })).toThrow(
      /expects room for 1099511627776\.0 MB on its disk, got [\d.]+ MB free\. Free some space/,
    );
  });
});
