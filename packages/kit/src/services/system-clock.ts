import type { Clock } from '@nnkit/core';

/** The process's monotonic clock: differences are elapsed time, unaffected by changes to the wall clock. */
export function systemClock(): Clock {
  return { now: () => performance.now() };
}
