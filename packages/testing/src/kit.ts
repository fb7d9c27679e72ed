import { type Kit, type NnkitPlugin } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import tasksPlugin from '@nnkit/plugin-tasks';
import { probePlugin } from './probe-plugin.js';

/** The plugins under test, as a suite is given them: made already, or promised. */
export type PluginList = readonly (NnkitPlugin | Promise<NnkitPlugin>)[];

/**
 * A kit with the author's plugins, nnkit's built-in tasks (unless the author's list has them: a model learns one, and
 * `testModel` goes through it as `nnkit train` does) and the suites' own probe model, on the cpu backend, silent.
 * Suites that run on every backend switch it per suite (describeEachBackend); a kit is not tied to the backend it
 * started on.
 */
export async function conformanceKit(plugins: PluginList, seed = 42): Promise<Kit> {
  const given = await Promise.all(plugins.map((plugin) => Promise.resolve(plugin)));
  const tasks = tasksPlugin();
  const withTasks = given.some((plugin) => plugin.meta.name === tasks.meta.name) ? given : [tasks, ...given];
  return createKit({ plugins: [...withTasks, probePlugin()], backend: 'cpu', seed, progress: silentProgress() });
}
