import { NnkitError, PluginError, type RegistryEntry } from '@nnkit/core';

/** What a plugin threw, as one line. */
export function describeThrown(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ').trim();
}

/** `text` ending as a sentence does. */
export function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * Calls a plugin's code for one of its contributions (`what`: `Model 'gru/parity'`; `method`: `create()`). An error
 * the plugin throws on purpose (an NnkitError: a ConfigError, a ShapeError) passes through, as it already says
 * what to fix; anything else becomes a PluginError that names the plugin and the contribution, with the original
 * as its `cause`. A promise is handled the same way when it rejects.
 */
export function callPlugin<T>(what: string, entry: RegistryEntry<unknown>, method: string, call: () => T): T {
  const blame = (error: unknown): unknown =>
    error instanceof NnkitError
      ? error
      : new PluginError(
          `${what} of plugin '${entry.owner}' failed in ${method}: ${sentence(describeThrown(error))} ` +
            `This error comes from the plugin's own code: if it does not say what to change, report it to the plugin's authors.`,
          { cause: error },
        );
  try {
    const result = call();
    return (result instanceof Promise ? result.catch((error: unknown) => Promise.reject(blame(error))) : result) as T;
  } catch (error) {
    throw blame(error);
  }
}
