/**
 * A backend that was asked for and cannot be used here. Its own class (not a subclass of @nnkit/core's
 * NnkitError: this package does not depend on core), with the same `code` shape, so that `err.code` and
 * `err instanceof NnkitError` (which accepts any `NNKIT_` code) treat it as every other nnkit error.
 */
export class BackendError extends Error {
  readonly code = 'NNKIT_BACKEND';
  override readonly name = 'BackendError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
