import { ConfigError } from '@nnkit/core';
import { describe, expect, it } from 'vitest';
import { KneserNey } from './kneser-ney.js';

const training = [1, 2, 3, 1, 2, 4, 1, 2, 3, 5, 0, 1, 2, 3];

describe('KneserNey', () => {
  it('gives a distribution over the whole vocabulary after any history, seen or not', () => {
    for (const order of [1, 2, 3, 4]) {
      const model = new KneserNey(training, order, 7);
      for (const history of [[], [1], [1, 2], [3, 1, 2], [6, 6], [5, 6, 1]]) {
        const total = Array.from({ length: 7 }, (_, w) => model.probability(history, w)).reduce((a, b) => a + b, 0);
        expect(total).toBeCloseTo(1, 10);
        expect(model.probability(history, 6)).toBeGreaterThan(0); // never seen in training
      }
    }
  });

  it('uses longer contexts: after "1 2", "3" is likelier under a trigram than under a unigram', () => {
    const unigram = new KneserNey(training, 1, 7);
    const trigram = new KneserNey(training, 3, 7);
    expect(trigram.probability([1, 2], 3)).toBeGreaterThan(0.5);
    expect(trigram.probability([1, 2], 3)).toBeGreaterThan(unigram.probability([1, 2], 3));
    expect(trigram.crossEntropy(training)).toBeLessThan(unigram.crossEntropy(training));
  });

  it('refuses an order below 1 or a discount outside (0, 1)', () => {
    expect(() => new KneserNey(training, 0, 7)).toThrow(ConfigError);
    expect(() => new KneserNey(training, 2, 7, 1)).toThrow(ConfigError);
  });
});
