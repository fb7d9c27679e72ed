export { BackendError } from '@nnkit/backends';

/**
 * Every error nnkit throws on purpose is an `NnkitError` with a stable `code`, so that applications
 * can branch on `err.code` and the CLI can tell a usage error (exit 2) from a runtime one (exit 1).
 *
 * Messages follow one shape: `<what> expects <X>, got <Y>. <how to fix>`.
 */
export class NnkitError extends Error {
  override readonly name: string = 'NnkitError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /**
   * `err instanceof NnkitError` holds for any error whose `code` starts with `NNKIT_`: @nnkit/backends'
   * BackendError (that package does not depend on core) and errors thrown by a second installed copy of core
   * count too. Subclasses keep the ordinary prototype check, so `instanceof ShapeError` stays strict.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== NnkitError) return Function.prototype[Symbol.hasInstance].call(this, value);
    if (!(value instanceof Error)) return false;
    const code: unknown = (value as Error & { code?: unknown }).code;
    return typeof code === 'string' && code.startsWith('NNKIT_');
  }
}

/** A name that no loaded plugin registered. `suggestions` holds the closest registered names. */
export class UnknownNameError extends NnkitError {
  override readonly name = 'UnknownNameError';
  constructor(
    readonly kind: string,
    readonly requested: string,
    readonly suggestions: readonly string[],
    readonly registered: readonly string[],
    /** The kind `requested` is registered as instead ('dataset' for a dataset asked for as a model), if any. */
    readonly registeredAs?: string,
    /** What to do instead, where it is not "load the plugin that provides it" (a preset comes with its model). */
    fix = 'Is the plugin that provides it loaded? (nnkit plugins lists them.)',
  ) {
    const didYouMean = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?` : '';
    const known = registered.length > 0 ? registered.join(', ') : 'none';
    super(
      'NNKIT_UNKNOWN_NAME',
      registeredAs !== undefined
        ? `'${requested}' is ${article(registeredAs)} ${registeredAs}, not ${article(kind)} ${kind}: give ${article(kind)} ${kind} instead${registered.length > 0 ? `, one of ${known}` : ` (none is registered)`}.`
        : `No ${kind} named '${requested}' is registered.${didYouMean} Registered: ${known}. ${fix}`,
    );
  }
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? 'an' : 'a';
}

/** Two plugins (or one plugin twice) registered the same `namespace/name`. */
export class DuplicateNameError extends NnkitError {
  override readonly name = 'DuplicateNameError';
  constructor(
    readonly kind: string,
    readonly key: string,
    readonly firstOwner: string,
    readonly secondOwner: string,
  ) {
    super(
      'NNKIT_DUPLICATE_NAME',
      `The ${kind} '${key}' is registered by both '${firstOwner}' and '${secondOwner}'. ` +
        `Each name must have one owner: load only one of them, or give one plugin another namespace.`,
    );
  }
}

/** A plugin whose `meta.nnkit` range does not admit this version of @nnkit/core. */
export class IncompatiblePluginError extends NnkitError {
  override readonly name = 'IncompatiblePluginError';
  constructor(
    readonly plugin: string,
    readonly requiredRange: string,
    readonly coreVersion: string,
    /** Replaces the message about core's version, for other version ranges (a saved model's plugin version). */
    message?: string,
  ) {
    super(
      'NNKIT_INCOMPATIBLE_PLUGIN',
      message ??
        `Plugin '${plugin}' expects @nnkit/core ${requiredRange}, got ${coreVersion}. ` +
          `Install a version of the plugin built for @nnkit/core ${coreVersion}, or a core in ${requiredRange}.`,
    );
  }
}

/** A plugin object that does not follow the contract, or a plugin package that failed to load. */
export class PluginError extends NnkitError {
  override readonly name = 'PluginError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('NNKIT_PLUGIN', message, options);
  }
}

/** A configuration value (model config, kit option, config file) that is missing, unknown or ill-typed. */
export class ConfigError extends NnkitError {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly key?: string,
  ) {
    super('NNKIT_CONFIG', message);
  }
}

/** A tensor or array of the wrong shape or dtype. */
export class ShapeError extends NnkitError {
  override readonly name = 'ShapeError';
  constructor(message: string) {
    super('NNKIT_SHAPE', message);
  }
}

/** A file nnkit reads (dataset, checkpoint, saved model) that is missing, truncated or corrupt. */
export class DataError extends NnkitError {
  override readonly name = 'DataError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('NNKIT_DATA', message, options);
  }
}

/**
 * A file or folder nnkit reads or writes that the file system refused (a read-only or full disk, a file where a
 * folder should be, no permission). `path` is the one involved; `cause` is Node's error, whose `code` says which.
 */
export class StorageError extends NnkitError {
  override readonly name = 'StorageError';
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('NNKIT_STORAGE', message, options);
  }
}

/**
 * Whether an error came from nnkit on purpose (as opposed to a bug or a crash below it): the same test as
 * `instanceof NnkitError`, an `NNKIT_` code, so that BackendError (from @nnkit/backends) counts.
 */
export function isNnkitError(error: unknown): error is NnkitError {
  return error instanceof NnkitError;
}
