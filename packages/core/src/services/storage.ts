/**
 * Where models and checkpoints are kept: files by path, each written whole or not at all. `saveModel`, `loadModel`
 * and the checkpoint store go through it. The default is the file system (`fileSystemStorage`); an application's
 * tests can bind `memoryStorage()` and write nothing to disk.
 */
export interface FileStorage {
  /** Shown in messages: "the file system", "memory". */
  readonly name: string;
  /**
   * Files on this machine's disk: folders are checked (writable, room) and locked before writing, and what a killed
   * write left behind is cleaned up. False for a storage where writes cannot be torn or shared between processes.
   */
  readonly local: boolean;
  /** Whether a file is at `path`. */
  exists(path: string): boolean;
  /** The bytes of the file at `path`; a StorageError when there is none. */
  read(path: string): Uint8Array;
  /** Replaces the file at `path` with `chunks`, atomically: a reader sees the old file or the new one, never a torn one. */
  write(path: string, chunks: readonly Uint8Array[]): void;
  /** The names of the files directly in `dir` (not paths); none when there is no such folder. */
  list(dir: string): string[];
  /** Deletes the file at `path`, if there is one. */
  remove(path: string): void;
}
