import { ContainerModule } from 'inversify';
import { useBackend } from '@nnkit/backends';
import { seededRandom, TOKENS, type Clock } from '@nnkit/core';
import { fileSystemStorage } from './file-storage.js';
import { systemClock } from './system-clock.js';
import { terminalProgress } from './terminal-progress.js';

/** The seed when nobody gives one (createKit, the config file, NNKIT_SEED, a plugin). */
export const DEFAULT_SEED = 42;

/**
 * nnkit's default for every service, each bound only where neither createKit nor a plugin's module bound it first:
 * the one place defaults live. No default run observer besides the display: plugins and apps add them.
 */
export function defaultServices(): ContainerModule {
  return new ContainerModule(({ bind, isBound }) => {
    if (!isBound(TOKENS.BackendRequest)) bind(TOKENS.BackendRequest).toConstantValue('auto');
    if (!isBound(TOKENS.BackendResolver)) bind(TOKENS.BackendResolver).toConstantValue(useBackend);
    if (!isBound(TOKENS.Random)) bind(TOKENS.Random).toConstantValue(seededRandom(DEFAULT_SEED));
    if (!isBound(TOKENS.Clock)) bind(TOKENS.Clock).toConstantValue(systemClock());
    if (!isBound(TOKENS.Storage)) bind(TOKENS.Storage).toConstantValue(fileSystemStorage());
    if (!isBound(TOKENS.ProgressReporter)) {
      // A bar on a terminal, plain lines elsewhere, on stderr, timed by whichever clock is bound.
      bind(TOKENS.ProgressReporter)
        .toResolvedValue((clock: Clock) => terminalProgress(process.stderr, { now: () => clock.now() }), [TOKENS.Clock])
        .inSingletonScope();
    }
  });
}
