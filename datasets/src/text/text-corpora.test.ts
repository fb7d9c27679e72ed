import { describe, expect, it } from 'vitest';
import { loadMobyDick, readMobyDick } from './moby-dick.js';
import { loadStateOfTheUnion, readStateOfTheUnion, SOTU_SPLITS } from './sotu.js';
import { buildVocabulary, characterTokens, joinTokens, wordTokens } from './vocabulary.js';

describe('text corpora', () => {
  it('reads the 139 chapters of Moby Dick from the npm package', () => {
    const chapters = readMobyDick();
    expect(chapters).toHaveLength(139);
    expect(chapters[3]!.text.startsWith('Call me Ishmael.')).toBe(true);
    expect(chapters[138]!.chapter).toBe('Epilogue');
  });

  it('splits by chapter into fixed word-level train, validation and test streams with one vocabulary', () => {
    const corpus = loadMobyDick({ level: 'word', minCount: 3 });
    expect(corpus.vocabulary.tokens[0]).toBe('<unk>');
    expect(corpus.vocabulary.decode(corpus.train.subarray(0, 2))).toEqual(['<unk>', '.']); // 'etymology': fewer than 3 times in training
    const words = corpus.vocabulary.decode(corpus.train).join(' ');
    expect(words).toContain('call me ishmael .');
    expect(corpus.train.length).toBeGreaterThan(180_000);
    expect(corpus.validation.length).toBeGreaterThan(10_000);
    expect(corpus.test.length).toBeGreaterThan(5_000);
    const unknownInTest = corpus.test.filter((id) => id === 0).length / corpus.test.length;
    expect(unknownInTest).toBeGreaterThan(0);
    expect(unknownInTest).toBeLessThan(0.1);
    expect(loadMobyDick({ level: 'word', minCount: 3 }).vocabulary.tokens).toEqual(corpus.vocabulary.tokens); // fixed
  });

  it('tokenizes characters too, with a small vocabulary', () => {
    const corpus = loadMobyDick({ level: 'char' });
    expect(corpus.vocabulary.tokens.length).toBeLessThan(100);
    expect(corpus.vocabulary.decode(corpus.train.subarray(0, 10)).join('')).toBe('ETYMOLOGY.');
  });

  it('reads the State of the Union addresses and splits them by year: later addresses test', () => {
    const addresses = readStateOfTheUnion();
    expect(addresses.length).toBeGreaterThan(200);
    expect(addresses[0]).toMatchObject({ year: 1790, name: 'George Washington' });
    const corpus = loadStateOfTheUnion({ level: 'word' });
    const tokens = (years: (year: number) => boolean) => addresses.filter((a) => years(a.year)).length;
    expect(tokens((y) => y >= SOTU_SPLITS.testFrom)).toBeGreaterThan(5);
    expect(corpus.train.length).toBeGreaterThan(1_000_000);
    expect(corpus.validation.length).toBeGreaterThan(30_000);
    expect(corpus.test.length).toBeGreaterThan(30_000);
    expect(corpus.vocabulary.decode(corpus.test.subarray(0, 3)).every((w) => w.length > 0)).toBe(true);
    // <eos> closes each address: one per address in the test years
    expect(corpus.test.filter((id) => id === corpus.vocabulary.id('<eos>')).length).toBe(tokens((y) => y >= SOTU_SPLITS.testFrom));
  });

  it('builds vocabularies by frequency with <unk> for rare tokens', () => {
    const vocabulary = buildVocabulary(['b', 'a', 'b', 'c', 'b', 'a'], 2);
    expect(vocabulary.tokens).toEqual(['<unk>', 'b', 'a']);
    expect(Array.from(vocabulary.encode(['a', 'c', 'zzz']))).toEqual([2, 0, 0]);
    expect(wordTokens("Don't stop, Ishmael!")).toEqual(["don't", 'stop', ',', 'ishmael', '!']);
    expect(characterTokens('a \n b')).toEqual(['a', ' ', 'b']);
    expect(joinTokens(['call', 'me', 'ishmael', '.', '<eos>', 'it', ',', 'was'], 'word')).toBe('call me ishmael.\nit, was');
    expect(joinTokens(['a', '<eos>', 'b'], 'word', ' ¶ ')).toBe('a ¶ b');
    expect(joinTokens(['C', 'a', 'l', 'l'], 'char')).toBe('Call');
    expect(() => buildVocabulary([], 0)).toThrow(/minCount to be an integer ≥ 1, got 0/);
  });
});
