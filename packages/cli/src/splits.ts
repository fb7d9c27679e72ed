import { ConfigError, type SplitName } from '@nnkit/core';

export const SPLITS = ['test', 'validation', 'train'] as const satisfies readonly SplitName[];
export type Split = (typeof SPLITS)[number];

/**
 * The split of a dataset to measure: the one asked for, else test, else validation. A split the dataset lacks is
 * refused naming the ones it has (`has`: what the model's task finds in the data), whatever kind of data it holds.
 */
export function pickSplit(has: readonly SplitName[], asked: Split | undefined, datasetKey: string): Split {
  const split = asked ?? (has.includes('test') ? 'test' : 'validation');
  if (!has.includes(split)) {
    throw new ConfigError(
      `Dataset '${datasetKey}' expects a split among ${has.join(', ') || '(none)'}, got '${split}'.${asked === undefined ? ' Pass --split.' : ''}`,
      'split',
    );
  }
  return split;
}
