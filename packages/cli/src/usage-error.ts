import { NnkitError } from '@nnkit/core';

/** A mistake in how the command was called: exit code 2, with the usage line. */
export class UsageError extends NnkitError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super('NNKIT_USAGE', message);
  }
}
