import { ConfigError, type SplitName } from '@nnkit/core';
import { describe, expect, it } from 'vitest';
import { splitOf } from './split-of.js';

const task = {
  name: 'lists',
  splits: (data: { readonly train?: readonly number[]; readonly test?: readonly number[] }) =>
    (['train', 'test'] as const).filter((split) => (data[split]?.length ?? 0) > 0),
};

describe('splitOf', () => {
  it('gives a split the task offers', () => {
    expect(splitOf(task, { train: [1, 2], test: [3] }, 'test')).toEqual([3]);
  });

  it('refuses a split the task does not offer (absent or empty), naming those it does', () => {
    for (const [data, split] of [
      [{ train: [1] }, 'validation'],
      [{ train: [1], test: [] }, 'test'],
    ] as const) {
      expect(() => splitOf(task, data, split as SplitName)).toThrow(ConfigError);
      expect(() => splitOf(task, data, split as SplitName)).toThrow(`Task 'lists' expects a split among train, got '${split}'.`);
    }
  });
});
