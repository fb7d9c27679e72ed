import { ConfigError, taskKeyOf, type Kit, type ModelDefinition, type TaskDefinition } from '@nnkit/core';

export { taskKeyOf };

/** The task a model learns (`taskKeyOf`), from the registry: an unregistered one is refused naming the closest. */
export function taskOf(kit: Kit, definition: ModelDefinition | undefined): TaskDefinition {
  return kit.registry.tasks.get(taskKeyOf(definition));
}

/** The task whose kind of data `data` is: the one its dataset names where that one accepts it, else any that does. */
export function taskHolding(kit: Kit, datasetKey: string, data: unknown): TaskDefinition | undefined {
  const own = kit.registry.datasets.has(datasetKey) ? kit.registry.datasets.get(datasetKey).task : undefined;
  const tasks = kit.registry.tasks.list().map((entry) => entry.value as TaskDefinition);
  const named = own !== undefined && kit.registry.tasks.has(own) ? (kit.registry.tasks.get(own) as TaskDefinition) : undefined;
  return [...(named ? [named] : []), ...tasks].find((task) => task.accepts(data));
}

/** Frees what a dataset's `load()` gave, through the task that holds it (examples hold tensors). */
export function disposeData(kit: Kit, datasetKey: string, data: unknown): void {
  if (data !== undefined) taskHolding(kit, datasetKey, data)?.dispose?.(data);
}

/** `examples (inputs and targets)` without what is in brackets: `examples`. */
function short(holds: string): string {
  return holds.replace(/ \(.*/, '');
}

/**
 * The error for a model given a dataset of another kind: what the model takes (with its own dataset as an example),
 * what the dataset holds, which registered models train on that dataset, and which datasets hold the model's kind.
 */
export function wrongKindOfData(kit: Kit, model: string, task: TaskDefinition, datasetKey: string, data: unknown): ConfigError {
  const definition = (key: string): ModelDefinition | undefined => {
    try {
      return kit.registry.models.get(key);
    } catch {
      return undefined; // unknown, or a broken variant: nothing to suggest
    }
  };
  const own = definition(model)?.training?.dataset;
  const holds = taskHolding(kit, datasetKey, data)?.holds;
  const fitting = kit.registry.models.keys().filter((key) => key !== model && definition(key)?.training?.dataset === datasetKey);
  const taskKey = taskKeyOf(definition(model));
  const datasets = kit.registry.datasets
    .list()
    .filter((entry) => entry.value.task === taskKey)
    .map((entry) => entry.key);
  return new ConfigError(
    `${model} expects a dataset of ${task.holds}${own && own !== datasetKey ? `, such as its own ${own}` : ''}, ` +
      `got '${datasetKey}', which holds ${holds ?? 'none of the kinds nnkit knows'}${fitting.length > 0 ? `: ${fitting.join(', ')} train on it` : ''}. ` +
      `Pass --dataset with ${short(task.holds)} (${datasets.length > 0 ? datasets.join(', ') : 'nnkit list datasets'}), or a model made for ${holds ? short(holds) : 'that dataset'}.`,
    'dataset',
  );
}
