import { mulberry32, seededRandom } from '@nnkit/core';

/**
 * `keys` in a seeded random order (Fisher–Yates with mulberry32). The keys are sorted first, so the order depends
 * only on the set of keys, the seed and `purpose` (which keeps two shuffles from one seed independent).
 */
export function seededShuffle(keys: Iterable<string>, seed: number, purpose: string): string[] {
  const order = [...keys].sort();
  const random = mulberry32(seededRandom(seed).derive(purpose));
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

export interface KeySplit {
  readonly train: string[];
  readonly validation: string[];
  readonly test: string[];
}

/**
 * Splits keys (words, entity codes) by a seeded shuffle: the first round(n · testFraction) test, the next
 * round(n · validationFraction) validation, the rest train. Every example is grouped under one key, so no key,
 * and none of its examples, is in two splits.
 */
export function splitKeys(shuffled: readonly string[], validationFraction: number, testFraction: number): KeySplit {
  const test = Math.round(shuffled.length * testFraction);
  const validation = Math.round(shuffled.length * validationFraction);
  return {
    test: shuffled.slice(0, test),
    validation: shuffled.slice(test, test + validation),
    train: shuffled.slice(test + validation),
  };
}
