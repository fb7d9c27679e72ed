import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * A fresh, empty cache folder for one test, removed when the test file is done: each test that synthesizes starts
 * cold, and no test reads what another wrote.
 */
export function temporaryCaches(): () => Promise<string> {
  const folders: string[] = [];
  afterAll(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));
  return async () => {
    const folder = await mkdtemp(join(tmpdir(), 'nnkit-spoken-digits-'));
    folders.push(folder);
    return folder;
  };
}
