import { posix } from 'node:path';
import { StorageError, type FileStorage } from '@nnkit/core';

/**
 * Files kept in a Map, by normalized path: for tests and for applications that keep models in memory. Writes are
 * atomic by construction (the bytes are copied, then stored in one assignment).
 */
export function memoryStorage(): FileStorage & { readonly files: ReadonlyMap<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  const key = (path: string) => posix.normalize(path.replaceAll('\\', '/'));
  return {
    name: 'memory',
    local: false,
    files,
    exists: (path) => files.has(key(path)),
    read(path) {
      const bytes = files.get(key(path));
      if (bytes === undefined)
        throw new StorageError(
          path,
          `Reading ${path} from memory expects a file written there, got none. Write it first (saveModel, a checkpoint).`,
        );
      return bytes;
    },
    write(path, chunks) {
      files.set(key(path), Buffer.concat(chunks.map((chunk) => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))));
    },
    list(dir) {
      const prefix = `${key(dir).replace(/\/$/, '')}/`;
      return [...files.keys()]
        .filter((path) => path.startsWith(prefix) && !path.slice(prefix.length).includes('/'))
        .map((path) => path.slice(prefix.length));
    },
    remove: (path) => void files.delete(key(path)),
  };
}
