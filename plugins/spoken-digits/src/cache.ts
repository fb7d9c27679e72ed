import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { StorageError } from '@nnkit/core';
import { ESPEAK_NG_VERSION } from './espeak.js';
import type { PlannedUtterance } from './plan.js';

/**
 * nnkit's cache folder, as the benchmark's Python environment already uses it: $NNKIT_CACHE, else ~/.cache/nnkit.
 * Synthesized utterances go under spoken-digits/ in it.
 */
export function defaultCacheDir(): string {
  // An empty NNKIT_CACHE counts as unset: a relative '' would put the cache wherever the process happens to run.
  return join(process.env.NNKIT_CACHE || join(homedir(), '.cache', 'nnkit'), 'spoken-digits');
}

/**
 * Where a request's audio is kept: one folder per synthesizer build and voice, one file per rate, pitch and digits
 * (`espeak-ng-1.0.2/en-us+m3/150-50-417.wav`). That is everything that determines the audio: the rest of the command
 * line is fixed (espeak.ts), and the text is the digits in words. A change to either must change `FORMAT`.
 */
const FORMAT = 'espeak-ng-' + ESPEAK_NG_VERSION;

export function cachePath(cacheDir: string, utterance: PlannedUtterance): string {
  return join(cacheDir, FORMAT, utterance.voice, `${utterance.wordsPerMinute}-${utterance.pitch}-${utterance.digits}.wav`);
}

export async function isCached(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Writes a file whole or not at all: to a temporary name beside it, then a rename, which replaces atomically on one
 * file system. A run killed mid-write leaves a stray temporary file, never a truncated WAV under the real name, and
 * two runs filling one cache at once each rename a complete file.
 */
export async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {}); // nothing to clean up where nothing could be written
    throw new StorageError(
      path,
      `The spoken-digits cache expects to write ${path}, got ${(error as NodeJS.ErrnoException).code ?? String(error)}. Free space, fix the folder's permissions, or set the dataset's cacheDir (or NNKIT_CACHE) to a writable folder.`,
      { cause: error },
    );
  }
}

export async function readCached(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new StorageError(
      path,
      `The spoken-digits cache expects ${path}, got ${(error as NodeJS.ErrnoException).code ?? String(error)}. Was the cache cleared while loading? Load the dataset again.`,
      { cause: error },
    );
  }
}
