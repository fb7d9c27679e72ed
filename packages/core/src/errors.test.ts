import { BackendError as BackendsBackendError } from '@nnkit/backends';
import { describe, expect, it } from 'vitest';
import { BackendError, ConfigError, isNnkitError, NnkitError, ShapeError, UnknownNameError } from './errors.js';

/** What a second installed copy of @nnkit/core throws: the same shape, another class. */
class OtherCopyShapeError extends Error {
  readonly code = 'NNKIT_SHAPE';
}

describe('NnkitError', () => {
  it('is any error whose code starts with NNKIT_: its subclasses, BackendError, and a second copy of core', () => {
    const backend = new BackendError("Backend 'webgpu' expects to load here, got no-adapter.");
    expect(BackendError).toBe(BackendsBackendError);
    expect(backend).toMatchObject({ code: 'NNKIT_BACKEND', name: 'BackendError' });
    for (const error of [new ShapeError('s'), new NnkitError('NNKIT_OTHER', 'o'), backend, new OtherCopyShapeError('x')]) {
      expect(error instanceof NnkitError).toBe(true);
      expect(isNnkitError(error)).toBe(true);
    }
  });

  it('is not an error without an NNKIT_ code, nor something that is not an error', () => {
    const enoent = Object.assign(new Error('no such file'), { code: 'ENOENT' });
    const numeric = Object.assign(new Error('n'), { code: 7 });
    for (const value of [
      new Error('plain'),
      enoent,
      numeric,
      { code: 'NNKIT_SHAPE', message: 'not an Error' },
      'NNKIT_SHAPE',
      null,
      undefined,
    ]) {
      expect(value instanceof NnkitError).toBe(false);
      expect(isNnkitError(value)).toBe(false);
    }
  });

  it('keeps instanceof strict for its subclasses', () => {
    expect(new ShapeError('s') instanceof ShapeError).toBe(true);
    expect(new ConfigError('c') instanceof ShapeError).toBe(false);
    expect(new OtherCopyShapeError('x') instanceof ShapeError).toBe(false);
    expect(new BackendError('b') instanceof ConfigError).toBe(false);
    const unknown: unknown = new UnknownNameError('model', 'lenet', ['lenet5/lenet5'], ['lenet5/lenet5']);
    // The narrowed type is the subclass's: its own fields are there to read.
    if (unknown instanceof UnknownNameError) expect(unknown.suggestions).toEqual(['lenet5/lenet5']);
    else expect.fail('an UnknownNameError is an instance of UnknownNameError');
  });
});
