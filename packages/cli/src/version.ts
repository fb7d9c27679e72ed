import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** This package's version, from its package.json (one level above both `src/` and `dist/`). */
export const CLI_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/** The versions `nnkit --version` shows: the command's, core's, tfjs's and Node's. */
export function versions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const read = (name: string) => (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  return {
    '@nnkit/cli': CLI_VERSION,
    '@nnkit/core': read('@nnkit/core'),
    '@tensorflow/tfjs': read('@tensorflow/tfjs'),
    node: process.version,
  };
}
