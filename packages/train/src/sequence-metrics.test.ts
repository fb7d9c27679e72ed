import { describe, expect, it } from 'vitest';
import { scoreSequences } from './generation-metrics.js';
import { corpusBleu, editDistance } from './sequence-metrics.js';

describe('sequence metrics', () => {
  it('measures edit distance as Levenshtein does', () => {
    expect(editDistance([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(editDistance([1, 2, 3], [1, 3])).toBe(1);
    expect(editDistance([], [4, 5])).toBe(2);
    // kitten → sitting: 3
    const word = (s: string) => [...s].map((c) => c.charCodeAt(0));
    expect(editDistance(word('kitten'), word('sitting'))).toBe(3);
  });

  it('scores each hypothesis against its closest accepted reference', () => {
    // "either": IY DH ER or AY DH ER, both right
    const scores = scoreSequences(
      [
        [1, 2, 3],
        [4, 2, 3],
        [1, 2],
      ],
      [
        [
          [1, 2, 3],
          [4, 2, 3],
        ],
        [
          [1, 2, 3],
          [4, 2, 3],
        ],
        [[1, 2, 3]],
      ],
    );
    expect(scores.exactMatch).toBeCloseTo(2 / 3);
    expect(scores.sequenceErrorRate).toBeCloseTo(1 / 3);
    expect(scores.wordErrorRate).toBe(scores.sequenceErrorRate); // the G2P name, kept
    expect(scores.tokenErrorRate).toBeCloseTo(1 / 9); // one deletion over 3 + 3 + 3 reference phones
    expect(scores.count).toBe(3);
    expect(() => scoreSequences([[1]], [])).toThrow(RangeError);
  });

  it('computes corpus BLEU with clipping and the brevity penalty', () => {
    expect(corpusBleu([[1, 2, 3, 4, 5]], [[[1, 2, 3, 4, 5]]])).toBeCloseTo(1);
    // Papineni et al.'s example of clipping: "the the the …" against a reference with two "the": unigram precision 2/7.
    const the = 1;
    const clipped = corpusBleu([[the, the, the, the, the, the, the]], [[[the, 2, 3, the, 4, 5]]], 1);
    expect(clipped).toBeCloseTo(2 / 7);
    // A correct but short hypothesis is penalized: 4 of 8 reference tokens gives exp(1 − 8/4).
    expect(corpusBleu([[1, 2, 3, 4]], [[[1, 2, 3, 4, 5, 6, 7, 8]]], 2)).toBeCloseTo(Math.exp(1 - 2));
    // Corpus level: n-gram counts are summed over sentences before dividing.
    const corpus = corpusBleu(
      [
        [1, 2],
        [3, 4, 5, 6],
      ],
      [[[1, 2]], [[3, 4, 5, 7]]],
      2,
    );
    expect(corpus).toBeCloseTo(Math.sqrt((5 / 6) * (3 / 4)));
    expect(corpusBleu([[9, 9]], [[[1, 2]]])).toBe(0);
  });
});
