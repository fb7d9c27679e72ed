import type { NnkitPlugin } from '@nnkit/core';

/**
 * The official plugins the `nnkit` command loads explicitly. Third-party plugins come from
 * `nnkit.config.*` or from discovery.
 */
export async function builtinPlugins(): Promise<NnkitPlugin[]> {
  return [];
}
