// Types of index.js (see there).
import type { NnkitPlugin } from '@nnkit/core';
export * from './reexports.js';
/** Every plugin nnkit ships, as the `nnkit` command loads them: `createKit({ plugins: builtinPlugins() })`. */
export declare function builtinPlugins(): NnkitPlugin[];
