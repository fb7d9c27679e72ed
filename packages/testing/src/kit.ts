import { createKit, silentProgress, type Kit, type NnkitPlugin } from '@nnkit/core';
import { probePlugin } from './probe-plugin.js';

/** The plugins under test, as a suite is given them: made already, or promised. */
export type PluginList = readonly (NnkitPlugin | Promise<NnkitPlugin>)[];

/**
 * A kit with the author's plugins and the suites' own probe model, on the cpu backend, silent. Suites that run on
 * every backend switch it per suite (describeEachBackend); a kit is not tied to the backend it started on.
 */
export function conformanceKit(plugins: PluginList, seed = 42): Promise<Kit> {
  return createKit({ plugins: [...plugins, probePlugin()], backend: 'cpu', seed, progress: silentProgress() });
}
