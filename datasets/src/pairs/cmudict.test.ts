import { describe, expect, it } from 'vitest';
import { ConfigError, DataError, type SequenceExample } from '@nnkit/core';
import { loadCmudict, parseCmudict, readCmudict, type CmudictCorpus } from './cmudict.js';

/** Every example of a corpus by its spelling. */
function byWord(corpus: CmudictCorpus): Map<string, SequenceExample> {
  const all = [...corpus.train, ...corpus.validation, ...corpus.test];
  return new Map(all.map((e) => [corpus.sourceVocabulary.decode(e.source).join(''), e]));
}
const words = (corpus: CmudictCorpus, split: readonly SequenceExample[]) =>
  split.map((e) => corpus.sourceVocabulary.decode(e.source).join(''));
const phones = (corpus: CmudictCorpus, e: SequenceExample) => e.targets.map((t) => corpus.targetVocabulary.decode(t).join(' '));

describe('datasets/cmudict', () => {
  const corpus = loadCmudict();
  const stressed = loadCmudict({ stress: true });

  it('reads 123,874 words with 132,585 pronunciations; drops 1,131 words (1,199 entries) with digits or punctuation', () => {
    const dictionary = readCmudict();
    expect(dictionary.words.size).toBe(123_874);
    expect(dictionary.pronunciations).toBe(132_585);
    expect(dictionary.dropped).toEqual({ words: 1_131, entries: 1_199 });
    expect(dictionary.words.has('ad-hoc') || dictionary.words.has('new_york') || dictionary.words.has('a42128')).toBe(false);
    expect(dictionary.words.get("don't")).toEqual([
      ['D', 'OW1', 'N', 'T'],
      ['D', 'OW1', 'N'],
    ]);
    expect(corpus.dictionary).toMatchObject({ words: 123_874, pronunciations: 132_585 });
  });

  it('splits by word, 105,293 / 6,194 / 12,387 by default, with no word in two splits', () => {
    expect([corpus.train.length, corpus.validation.length, corpus.test.length]).toEqual([105_293, 6_194, 12_387]);
    const splits = [corpus.train, corpus.validation, corpus.test].map((s) => new Set(words(corpus, s)));
    expect(splits[0]!.size + splits[1]!.size + splits[2]!.size).toBe(123_874);
    expect(new Set(splits.flatMap((s) => [...s])).size).toBe(123_874); // disjoint
  });

  it('gives the same split for the same seed and another for another seed', () => {
    const again = loadCmudict({ limit: 2_000 });
    expect(words(again, again.test)).toEqual(words(again, loadCmudict({ limit: 2_000 }).test));
    expect(words(again, again.train)).toEqual(words(again, loadCmudict({ limit: 2_000 }).train));
    const other = loadCmudict({ limit: 2_000, seed: 2 });
    expect(words(other, other.test)).not.toEqual(words(again, again.test));
    expect(words(stressed, stressed.test)).toEqual(words(corpus, corpus.test)); // stress does not move the split
  });

  it('encodes a known word: cat → K AE T, and K AE1 T with stress', () => {
    expect(phones(corpus, byWord(corpus).get('cat')!)).toEqual(['K AE T']);
    expect(phones(stressed, byWord(stressed).get('cat')!)).toEqual(['K AE1 T']);
    expect(corpus.sourceVocabulary.tokens).toEqual(['<pad>', '<s>', '</s>', '<unk>', "'", ...'abcdefghijklmnopqrstuvwxyz']);
    expect(corpus.targetVocabulary.tokens.slice(0, 4)).toEqual(['<pad>', '<s>', '</s>', '<unk>']);
    expect(corpus.sourceSeparator).toBe('');
    expect(corpus.targetSeparator).toBe(' ');
  });

  it('strips stress by default: 39 phones without digits; 69 with stress', () => {
    expect(corpus.targetVocabulary.tokens).toHaveLength(4 + 39);
    expect(corpus.targetVocabulary.tokens.some((t) => /\d/.test(t))).toBe(false);
    expect(stressed.targetVocabulary.tokens).toHaveLength(4 + 69);
    expect(stressed.targetVocabulary.tokens.filter((t) => /^AE/.test(t))).toEqual(['AE0', 'AE1', 'AE2']);
  });

  it('groups alternative pronunciations as targets of one example, merging those that differ only in stress', () => {
    const examples = byWord(corpus);
    expect(phones(corpus, examples.get('read')!)).toEqual(['R EH D', 'R IY D']);
    expect(phones(corpus, examples.get('tomato')!)).toEqual(['T AH M EY T OW', 'T AH M AA T OW']);
    expect(phones(corpus, examples.get('be')!)).toEqual(['B IY']); // B IY1 and B IY0
    expect(phones(stressed, byWord(stressed).get('be')!)).toEqual(['B IY1', 'B IY0']);
    const targets = (c: CmudictCorpus) => [c.train, c.validation, c.test].flat().reduce((n, e) => n + e.targets.length, 0);
    expect(targets(stressed)).toBe(132_585);
    expect(targets(corpus)).toBe(132_271);
  });

  it('keeps quick runs small: limit words, then split; maxLength bounds letters and phones', () => {
    const small = loadCmudict({ limit: 1_000 });
    expect([small.train.length, small.validation.length, small.test.length]).toEqual([850, 50, 100]);
    expect(small.sourceVocabulary.tokens).toEqual(corpus.sourceVocabulary.tokens); // the vocabularies do not shrink
    const short = loadCmudict({ maxLength: 5 });
    const all = [short.train, short.validation, short.test].flat();
    expect(all.every((e) => e.source.length <= 5 && e.targets.every((t) => t.length <= 5))).toBe(true);
    expect(all.length).toBeGreaterThan(10_000);
  });

  it('refuses unknown and ill-typed options, saying what to write', () => {
    expect(() => loadCmudict({ sead: 3 } as never)).toThrow(ConfigError);
    expect(() => loadCmudict({ sead: 3 } as never)).toThrow(/got unknown option 'sead'\. Did you mean 'seed'\?/);
    expect(() => loadCmudict({ limit: 1.5 })).toThrow(
      /Option 'limit' of dataset datasets\/cmudict expects an integer ≥ 1 \(keep only this many words, for a quick run\), got 1\.5\./,
    );
    expect(() => loadCmudict({ stress: 'yes' } as never)).toThrow(/expects true or false/);
    expect(() => loadCmudict({ validationFraction: 0.5, testFraction: 0.5 })).toThrow(/validationFraction \+ testFraction < 1/);
  });

  it('refuses a malformed entry, naming it and what was expected', () => {
    const inventory = { K: 'stop', AE: 'vowel', T: 'stop', D: 'stop', AO: 'vowel', G: 'stop' };
    expect(parseCmudict({ CAT: 'K AE1 T', 'CAT(1)': 'K AE2 T' }, inventory).words.get('cat')).toEqual([
      ['K', 'AE1', 'T'],
      ['K', 'AE2', 'T'],
    ]);
    expect(() => parseCmudict({ CAT: 'K AE1 T', DOG: 'D AO1 GX' }, inventory)).toThrow(DataError);
    expect(() => parseCmudict({ DOG: 'D AO1 GX' }, inventory)).toThrow(/data\/dict\.json\) expects entry 'DOG' to be .* got "D AO1 GX"/);
    expect(() => parseCmudict({ CAT: 'K AE T' }, inventory)).toThrow(/entry 'CAT'.*vowels with stress 0, 1 or 2/); // a vowel without stress
    expect(() => parseCmudict({ CAT: 'K  AE1 T' }, inventory)).toThrow(/entry 'CAT'/); // two spaces
    expect(() => parseCmudict([], inventory)).toThrow(/expects an object of words/);
    expect(() => parseCmudict({}, { K: 'stop' })).toThrow(/phones\.json\) expects an object of ARPAbet phones/);
  });
});
