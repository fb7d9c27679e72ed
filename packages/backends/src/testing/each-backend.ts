import { beforeAll, describe, it } from 'vitest';
import { BACKEND_NAMES, type BackendName } from '../candidates.js';
import { probeBackends, useBackend, type BackendStatus } from '../use-backend.js';

/** Backends every test run must have: a suite on one of them fails instead of being skipped. */
const REQUIRED: readonly BackendName[] = (process.env.NNKIT_TEST_REQUIRED_BACKENDS ?? 'cpu,wasm')
  .split(',')
  .filter(Boolean) as BackendName[];

/** Which backends load here, probed once per test file (top-level await: suites are declared synchronously). */
export const BACKEND_STATUSES: readonly BackendStatus[] = await probeBackends();

export interface EachBackendOptions {
  /** Restrict the suite to these backends (default: all of them). */
  readonly only?: readonly BackendName[];
}

/**
 * Declares `suite` once per backend, as tfjs's `describeWithFlags`: `title [wasm]`, … Each copy switches the
 * backend before it runs. A backend that is not available here is skipped with the reason in its title,
 * except the required ones (cpu and wasm, or NNKIT_TEST_REQUIRED_BACKENDS), whose absence fails the run.
 */
export function describeEachBackend(title: string, suite: (backend: BackendName) => void, options: EachBackendOptions = {}): void {
  for (const name of options.only ?? BACKEND_NAMES) {
    const status = BACKEND_STATUSES.find((s) => s.name === name)!;
    if (status.state === 'ready') {
      describe(`${title} [${name}]`, () => {
        beforeAll(async () => {
          await useBackend(name);
        });
        suite(name);
      });
    } else if (REQUIRED.includes(name)) {
      describe(`${title} [${name}]`, () => {
        it('needs this backend, which every test run must have', () => {
          throw new Error(`Backend '${name}' is required for tests but is ${status.state}: ${status.reason}`);
        });
      });
    } else {
      describe.skip(`${title} [${name}: skipped, ${status.state}: ${status.reason}]`, () => suite(name));
    }
  }
}
