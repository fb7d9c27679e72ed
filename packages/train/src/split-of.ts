import { ConfigError, type SplitName } from '@nnkit/core';

/** A task's data as far as its splits go: a value per split name, where the data has that split. */
export type SplitData = { readonly [S in SplitName]?: unknown };

/**
 * One split of a task's data for `evaluate` and `splitSize`, where the task offers it (`splits`: those that hold
 * examples), else a ConfigError that names the ones it offers: "Task 'token-streams' expects a split among train,
 * test, got 'validation'."
 */
export function splitOf<D extends SplitData>(
  task: { readonly name: string; splits(data: D): readonly SplitName[] },
  data: D,
  split: SplitName,
): NonNullable<D[SplitName]> {
  const offered = task.splits(data);
  if (!offered.includes(split)) {
    throw new ConfigError(`Task '${task.name}' expects a split among ${offered.join(', ')}, got '${split}'.`, 'split');
  }
  return data[split]!;
}
