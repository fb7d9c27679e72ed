import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where downloaded data lives: `NNKIT_CACHE`, else `~/.cache/nnkit`. */
export interface DatasetCache {
  readonly dir: string;
  /** The path of a file inside the cache (the folder is created by whoever writes it). */
  path(...parts: string[]): string;
}

export function datasetCache(dir: string = process.env.NNKIT_CACHE || join(homedir(), '.cache', 'nnkit')): DatasetCache {
  return { dir, path: (...parts) => join(dir, ...parts) };
}
