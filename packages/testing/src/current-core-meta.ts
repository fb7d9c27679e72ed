import { CORE_VERSION, type PluginMeta } from '@nnkit/core';

/** The meta of a plugin that @nnkit/testing makes for itself: at this core's version, and loadable by any core of its major. */
export function currentCoreMeta(name: string, namespace: string): PluginMeta {
  return { name, version: CORE_VERSION, namespace, nnkit: `^${CORE_VERSION.split('.')[0]}.0.0` };
}
