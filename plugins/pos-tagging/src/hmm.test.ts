import { describe, expect, it } from 'vitest';
import { countHmm, logJoint, viterbi, type Hmm } from './hmm.js';
import { taggingVocabulary } from './vocabulary.js';
import { wordClassToken } from './word-classes.js';

/** A random HMM: each distribution a normalized draw, from a small seeded generator. */
function randomHmm(states: number, symbols: number, seed: number): Hmm {
  let s = seed;
  const next = () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) + 1) / 2 ** 31;
  const logRow = (size: number) => {
    const raw = Array.from({ length: size }, () => next() ** 2 + 0.01);
    const total = raw.reduce((a, b) => a + b, 0);
    return raw.map((v) => Math.log(v / total));
  };
  // Start and transitions+end each sum to 1, as countHmm's are.
  const rows = Array.from({ length: states }, () => logRow(states + 1));
  return {
    states,
    symbols,
    logStart: Float64Array.from(logRow(states)),
    logTransition: Float64Array.from(rows.flatMap((row) => row.slice(0, states))),
    logEnd: Float64Array.from(rows.map((row) => row[states]!)),
    logEmission: Float64Array.from(Array.from({ length: states }, () => logRow(symbols)).flat()),
  };
}

/** Every state sequence of `length` over `states` states, and the best by logJoint. */
function bruteForce(hmm: Hmm, symbols: readonly number[]): { best: number; paths: number[][] } {
  let paths: number[][] = [[]];
  for (let t = 0; t < symbols.length; t++) paths = paths.flatMap((p) => Array.from({ length: hmm.states }, (_, s) => [...p, s]));
  const best = Math.max(...paths.map((p) => logJoint(hmm, symbols, p)));
  return { best, paths: paths.filter((p) => Math.abs(logJoint(hmm, symbols, p) - best) < 1e-12) };
}

describe('the HMM', () => {
  it('decodes by Viterbi the path that brute force finds best, on random tiny models', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const hmm = randomHmm(3, 5, seed);
      const symbols = Array.from({ length: 1 + (seed % 6) }, (_, t) => (seed * 7 + t * 3) % 5);
      const { best, paths } = bruteForce(hmm, symbols);
      const decoded = viterbi(hmm, symbols);
      expect(decoded.logProbability).toBeCloseTo(best, 10);
      expect(paths).toContainEqual(decoded.states);
    }
    expect(viterbi(randomHmm(2, 2, 1), [])).toEqual({ states: [], logProbability: 0 });
  });

  it('counts relative frequencies with add-k, each distribution summing to 1', () => {
    // Tags 0 and 1; the start is followed by 0 twice, 0 by 1 twice, 1 by the end twice.
    const hmm = countHmm(
      [
        { symbols: [0, 1], states: [0, 1] },
        { symbols: [0, 2], states: [0, 1] },
      ],
      { states: 2, symbols: 3, transitionSmoothing: 0.5, emissionSmoothing: 0.5 },
    );
    // p(1 | 0) = (2 + 0.5) / (2 + 0.5 · 3 outcomes: tag 0, tag 1, end)
    expect(Math.exp(hmm.logTransition[0 * 2 + 1]!)).toBeCloseTo(2.5 / 3.5, 12);
    expect(Math.exp(hmm.logEnd[1]!)).toBeCloseTo(2.5 / 3.5, 12);
    // p(word 1 | tag 1) = (1 + 0.5) / (2 + 0.5 · 3)
    expect(Math.exp(hmm.logEmission[1 * 3 + 1]!)).toBeCloseTo(1.5 / 3.5, 12);
    const sum = (values: ArrayLike<number>) => Array.from(values, Math.exp).reduce((a, b) => a + b, 0);
    expect(sum(hmm.logStart)).toBeCloseTo(1, 12);
    expect(Math.exp(hmm.logStart[0]!)).toBeCloseTo(2.5 / 3, 12); // over the two tags: a sentence has a word
    for (let i = 0; i < 2; i++) {
      expect(sum([...hmm.logTransition.slice(i * 2, i * 2 + 2), hmm.logEnd[i]!])).toBeCloseTo(1, 12);
      expect(sum(hmm.logEmission.slice(i * 3, i * 3 + 3))).toBeCloseTo(1, 12);
    }
    expect(() => countHmm([], { states: 2, symbols: 3, emissionSmoothing: 0 })).toThrow(/emissionSmoothing > 0/);
    expect(() => countHmm([{ symbols: [5], states: [0] }], { states: 2, symbols: 3 })).toThrow(
      /symbols in 0 … 2, got state 0 and symbol 5/,
    );
  });

  it('gives every tag a nonzero probability of emitting a word it never saw, through the word’s class', () => {
    const training = [
      { words: ['the', 'whale', 'was', 'swimming'], tags: ['DT', 'NN', 'VBD', 'VBG'] },
      { words: ['the', 'sea', 'was', 'rising'], tags: ['DT', 'NN', 'VBD', 'VBG'] },
    ];
    const vocabulary = taggingVocabulary(training);
    const tagSet = ['DT', 'NN', 'VBD', 'VBG'];
    const sentences = training.map((s) => ({ symbols: vocabulary.encode(s.words), states: s.tags.map((t) => tagSet.indexOf(t)) }));
    const hmm = countHmm(sentences, { states: 4, symbols: vocabulary.tokens.length });
    // 'swimming' and 'rising' were seen once: both read as <unk:-ing>, as does 'harpooning', never seen at all.
    expect(vocabulary.known('swimming')).toBe(false);
    expect(vocabulary.id('harpooning')).toBe(vocabulary.tokens.indexOf(wordClassToken('harpooning')));
    const emission = (tag: string, word: string) => Math.exp(hmm.logEmission[tagSet.indexOf(tag) * hmm.symbols + vocabulary.id(word)]!);
    for (const tag of tagSet) {
      for (const word of ['harpooning', 'leviathan', '1851']) expect(emission(tag, word), `${tag} → ${word}`).toBeGreaterThan(0);
    }
    // The class learned from the rare words: an unseen -ing word is far likelier a VBG than a DT.
    expect(emission('VBG', 'harpooning')).toBeGreaterThan(100 * emission('DT', 'harpooning'));
    expect(viterbi(hmm, vocabulary.encode(['the', 'ship', 'was', 'harpooning'])).states.map((s) => tagSet[s])).toEqual([
      'DT',
      'NN',
      'VBD',
      'VBG',
    ]);
  });
});
