import { describe, expect, it } from 'vitest';
import { deriveSeed } from './derive-seed.js';

describe('deriveSeed', () => {
  it('is deterministic: the same seed and names give the same unsigned 32-bit integer', () => {
    expect(deriveSeed(42, 'decoder', 3)).toBe(deriveSeed(42, 'decoder', 3));
    expect(deriveSeed(0)).toBe(deriveSeed(0));
    // Pinned, so that a change to the hash (which would change every seeded run's numbers) is seen.
    expect(deriveSeed(42, 'decoder', 3)).toBe(PINNED);
    for (const seed of [0, 1, 42, 2 ** 32 - 1]) {
      const value = deriveSeed(seed, 'encoder', 'layer', 0);
      expect(Number.isInteger(value) && value >= 0 && value < 2 ** 32).toBe(true);
    }
  });

  it('spreads: neighbouring steps, layers, names and seeds all get distinct seeds that differ in about half their bits', () => {
    const seeds = new Set<number>();
    const bitsApart: number[] = [];
    for (let seed = 0; seed < 20; seed++) {
      for (let t = 0; t < 200; t++) {
        const here = deriveSeed(seed, 'decoder', t);
        seeds.add(here);
        bitsApart.push(popcount(here ^ deriveSeed(seed, 'decoder', t + 1)), popcount(here ^ deriveSeed(seed + 1, 'decoder', t)));
      }
      seeds.add(deriveSeed(seed, 'encoder'));
      seeds.add(deriveSeed(seed, 'dropout', 0));
    }
    expect(seeds.size).toBe(20 * 202);
    const mean = bitsApart.reduce((a, b) => a + b, 0) / bitsApart.length;
    expect(mean).toBeGreaterThan(14);
    expect(mean).toBeLessThan(18);
    expect(Math.min(...bitsApart)).toBeGreaterThan(3);
    // The names are a path: ('ab', 'c') is not ('a', 'bc'), and a name is not its number's neighbour.
    expect(deriveSeed(1, 'ab', 'c')).not.toBe(deriveSeed(1, 'a', 'bc'));
    expect(deriveSeed(1, 'layer', 1)).not.toBe(deriveSeed(1, 'layer', 11));
  });

  it('refuses a seed that is not an integer, saying so', () => {
    expect(() => deriveSeed(0.5, 'decoder')).toThrow(/expects an integer seed, got 0.5/);
  });
});

function popcount(x: number): number {
  let count = 0;
  for (let v = x >>> 0; v !== 0; v >>>= 1) count += v & 1;
  return count;
}

const PINNED = 736_769_084;
