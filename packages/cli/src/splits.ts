import { ConfigError } from '@nnkit/core';

export const SPLITS = ['test', 'validation', 'train'] as const;
export type Split = (typeof SPLITS)[number];

/**
 * The split of a dataset to measure: the one asked for, else test, else validation. A split the dataset lacks is
 * refused naming the ones it has, whatever kind of data it holds (examples, token ids, pairs, captioned images).
 */
export function pickSplit<T>(data: Partial<Record<Split, T | undefined>>, asked: Split | undefined, datasetKey: string): { split: Split; part: T } {
  const has = (['train', 'validation', 'test'] as const).filter((s) => data[s] !== undefined && data[s] !== null);
  const split = asked ?? (has.includes('test') ? 'test' : 'validation');
  const part = data[split];
  if (part === undefined || part === null) {
    throw new ConfigError(`Dataset '${datasetKey}' expects a split among ${has.join(', ') || '(none)'}, got '${split}'.${asked === undefined ? ' Pass --split.' : ''}`, 'split');
  }
  return { split, part };
}
