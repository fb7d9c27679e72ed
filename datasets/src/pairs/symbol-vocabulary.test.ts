import { describe, expect, it } from 'vitest';
import { symbolVocabulary } from './symbol-vocabulary.js';

describe('symbolVocabulary', () => {
  it('puts <pad>, <s>, </s>, <unk> at ids 0–3 and the other symbols once each, sorted, whatever their order', () => {
    const vocabulary = symbolVocabulary(['b', 'a', 'b', '<s>', 'c', 'a']);
    expect(vocabulary.tokens).toEqual(['<pad>', '<s>', '</s>', '<unk>', 'a', 'b', 'c']);
    expect(symbolVocabulary(['c', 'b', 'a']).tokens).toEqual(vocabulary.tokens);
  });

  it('encodes unknown symbols as <unk> and decodes ids back', () => {
    const vocabulary = symbolVocabulary(['K', 'AE', 'T']);
    expect(vocabulary.encode(['K', 'AE', 'T', 'ZZ'])).toEqual([5, 4, 6, 3]);
    expect(vocabulary.decode([1, 5, 4, 6, 2, 0, 99])).toEqual(['<s>', 'K', 'AE', 'T', '</s>', '<pad>', '<unk>']);
    expect(vocabulary.id('<2fr>')).toBe(3);
  });
});
