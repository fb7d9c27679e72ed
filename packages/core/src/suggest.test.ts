import { describe, expect, it } from 'vitest';
import { closestNames, editDistance } from './suggest.js';

describe('closestNames', () => {
  it('measures edits', () => {
    expect(editDistance('lstm', 'lstm')).toBe(0);
    expect(editDistance('lstn', 'lstm')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    // Names: a swap of neighbours is one typo. Token sequences (word and phone error rates): plain Levenshtein.
    expect(editDistance('lsmt', 'lstm', { swaps: true })).toBe(1);
    expect(editDistance('lsmt', 'lstm')).toBe(2);
    expect(editDistance([...'kitten'], [...'sitting'])).toBe(3);
    expect(editDistance([1, 2, 3], [1, 3])).toBe(1);
    expect(editDistance([2, 1, 3], [1, 2, 3], { swaps: true })).toBe(1);
  });

  it('finds typos, missing namespaces and partial names, best first', () => {
    const names = ['lstm/lm', 'lstm/lstm', 'rnn-lm/simple', 'lenet5/lenet5'];
    expect(closestNames('lstm/lsmt', names)[0]).toBe('lstm/lstm');
    expect(closestNames('lm', names)).toContain('lstm/lm');
    expect(closestNames('lenet5', names)[0]).toBe('lenet5/lenet5');
    expect(closestNames('captioner/show-tell', names)).toEqual([]);
  });
});
