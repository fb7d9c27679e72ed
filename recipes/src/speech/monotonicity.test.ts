import { describe, expect, it } from 'vitest';
import { attentionMonotonicity } from './monotonicity.js';

describe('attentionMonotonicity', () => {
  const forward = [
    [0.9, 0.1, 0],
    [0.1, 0.8, 0.1],
    [0, 0.3, 0.7],
  ];
  const jumpy = [
    [0, 0.2, 0.8],
    [0.7, 0.2, 0.1],
    [0.6, 0.3, 0.1],
  ];
  const flat = [
    [1 / 3, 1 / 3, 1 / 3],
    [1 / 3, 1 / 3, 1 / 3],
  ];

  it('counts the steps whose attention peak does not move backwards, and how far the peak travels', () => {
    expect(attentionMonotonicity([forward])).toEqual({ share: 1, steps: 2, backward: 0, travel: 1 });
    expect(attentionMonotonicity([jumpy])).toEqual({ share: 0.5, steps: 2, backward: 1, travel: -1 });
    expect(attentionMonotonicity([forward, jumpy, [[1]]])).toEqual({ share: 0.75, steps: 4, backward: 1, travel: 0 });
    expect(attentionMonotonicity([])).toEqual({ share: 0, steps: 0, backward: 0, travel: 0 });
  });

  it('tells flat attention, trivially monotonic, from attention that moves', () => {
    expect(attentionMonotonicity([flat])).toMatchObject({ share: 1, travel: 0 });
  });
});
