import type { ServiceIdentifier } from 'inversify';
import type { BackendChoice } from '@nnkit/backends';
import type { DatasetCache } from './services/dataset-cache.js';
import type { ProgressReporter } from './services/progress.js';
import type { RandomSource } from './services/random.js';
import type { Registry } from './registry.js';
import type { NnkitPlugin } from './plugin.js';

/**
 * The services that vary by environment or need test doubles, each under an explicit token (never
 * emitted type metadata). A plugin's `ContainerModule` may bind any of them to replace nnkit's default.
 */
export const TOKENS = {
  Backend: Symbol.for('nnkit.Backend') as ServiceIdentifier<BackendChoice>,
  Registry: Symbol.for('nnkit.Registry') as ServiceIdentifier<Registry>,
  Plugin: Symbol.for('nnkit.Plugin') as ServiceIdentifier<NnkitPlugin>,
  ProgressReporter: Symbol.for('nnkit.ProgressReporter') as ServiceIdentifier<ProgressReporter>,
  DatasetCache: Symbol.for('nnkit.DatasetCache') as ServiceIdentifier<DatasetCache>,
  Random: Symbol.for('nnkit.Random') as ServiceIdentifier<RandomSource>,
  /** The kit-level config object (from `createKit({ config })` or the config file). */
  Config: Symbol.for('nnkit.Config') as ServiceIdentifier<Readonly<Record<string, unknown>>>,
} as const;
