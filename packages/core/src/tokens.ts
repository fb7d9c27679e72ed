import type { ServiceIdentifier } from 'inversify';
import type { BackendChoice, BackendRequest } from '@nnkit/backends';
import type { Clock } from './services/clock.js';
import type { ProgressReporter } from './services/progress.js';
import type { RandomSource } from './services/random.js';
import type { RunObserver } from './services/run-observer.js';
import type { FileStorage } from './services/storage.js';
import type { Registry } from './registry.js';
import type { NnkitPlugin } from './plugin.js';

/** Chooses and starts a backend for a request (`auto`, `wasm`, …): nnkit's default is `useBackend`. */
export type BackendResolver = (request: BackendRequest) => Promise<BackendChoice>;

/**
 * The services a plugin or an application may swap, each under an explicit token (never emitted type metadata).
 * Precedence: what `createKit` is given, then a plugin's `ContainerModule`, then nnkit's default (@nnkit/kit's
 * `services/defaults.ts`). Everything that uses a service resolves it from the kit. docs/services.md shows each.
 */
export const TOKENS = {
  /** Which backend to ask for: `auto` unless createKit, the config file, NNKIT_BACKEND or a plugin says otherwise. */
  BackendRequest: Symbol.for('nnkit.BackendRequest') as ServiceIdentifier<BackendRequest>,
  /** What turns the request into a running backend. */
  BackendResolver: Symbol.for('nnkit.BackendResolver') as ServiceIdentifier<BackendResolver>,
  /** The backend chosen, once the kit is made (bound by createKit, not swappable itself). */
  Backend: Symbol.for('nnkit.Backend') as ServiceIdentifier<BackendChoice>,
  Registry: Symbol.for('nnkit.Registry') as ServiceIdentifier<Registry>,
  /** Every loaded plugin (multi-bound). */
  Plugin: Symbol.for('nnkit.Plugin') as ServiceIdentifier<NnkitPlugin>,
  /** The progress display: one run observer, the one that draws the bar (default: on stderr). */
  ProgressReporter: Symbol.for('nnkit.ProgressReporter') as ServiceIdentifier<ProgressReporter>,
  /** Observers of every training run, besides the display (multi-bound: each plugin adds its own). */
  RunObserver: Symbol.for('nnkit.RunObserver') as ServiceIdentifier<RunObserver>,
  /** The seed every random stream derives from. */
  Random: Symbol.for('nnkit.Random') as ServiceIdentifier<RandomSource>,
  /** What time it is, for ETAs and the seconds a run took. */
  Clock: Symbol.for('nnkit.Clock') as ServiceIdentifier<Clock>,
  /** Where saved models and checkpoints are read and written. */
  Storage: Symbol.for('nnkit.Storage') as ServiceIdentifier<FileStorage>,
} as const;
