import { describe, expect, it } from 'vitest';
import { loadMobyDickPos } from './moby-dick-pos.js';
import { isPennTag, PENN_TAGS } from './penn-tags.js';
import { splitSentences } from './sentences.js';
import { tagSilver } from './silver-tagger.js';
import { loadStateOfTheUnionPos } from './sotu-pos.js';

describe('silver-tagged sentences', () => {
  it('splits sentences at . ! ? before a capital, but not after a title or an initial, nor across paragraphs', () => {
    expect(
      splitSentences('Call me Ishmael. Some years ago I went to sea! Did I?\n\nYes, said Mr. Starbuck to J. Q. Adams. "Aye," he said.'),
    ).toEqual(['Call me Ishmael.', 'Some years ago I went to sea!', 'Did I?', 'Yes, said Mr. Starbuck to J. Q. Adams.', '"Aye," he said.']);
    expect(splitSentences('a heading\n\nthe text. it goes on')).toEqual(['a heading', 'the text. it goes on']);
  });

  it('tags with Penn tags, lower-cases words, makes dashes ":" and drops quotation marks', () => {
    const { words, tags } = tagSilver('"Call me Ishmael—the whale," he said.');
    expect(words).toEqual(['call', 'me', 'ishmael', '—', 'the', 'whale', ',', 'he', 'said', '.']);
    expect(tags[3]).toBe(':');
    expect(tags.every(isPennTag)).toBe(true);
    expect(new Set(PENN_TAGS).size).toBe(PENN_TAGS.length);
  });

  it('gives the same sentences in the same order every call, each within the length cap, every tag a Penn tag', () => {
    const first = loadMobyDickPos({ trainSentences: 50, heldOutSentences: 10, maxLength: 25 });
    const again = loadMobyDickPos({ trainSentences: 50, heldOutSentences: 10, maxLength: 25 });
    expect(again).toEqual(first);
    expect(first.kind).toBe('tagged-sentences');
    expect(first.labels).toBe('silver: wink-pos-tagger');
    expect(first.tagSet).toEqual(PENN_TAGS);
    expect([first.train.length, first.validation.length, first.test.length]).toEqual([50, 10, 10]);
    expect(first.train[0]!.words.join(' ')).toBe('call me ishmael .');
    for (const sentence of [...first.train, ...first.validation, ...first.test]) {
      expect(sentence.words.length).toBeGreaterThan(0);
      expect(sentence.words.length).toBeLessThanOrEqual(25);
      expect(sentence.tags).toHaveLength(sentence.words.length);
      for (const tag of sentence.tags) expect(isPennTag(tag), tag).toBe(true);
      for (const word of sentence.words) expect(word).toBe(word.toLowerCase());
    }
    // A longer cap keeps the same sentences in the same order, with the longer ones among them.
    const longer = loadMobyDickPos({ trainSentences: 80, maxLength: 40, heldOutSentences: 1 });
    const kept = new Set(longer.train.map((s) => s.words.join(' ')));
    expect(first.train.filter((s) => kept.has(s.words.join(' '))).length).toBeGreaterThan(30);
    expect(() => loadMobyDickPos({ trainSentence: 5 } as never)).toThrow(/trainSentences/);
  });

  it('reads the State of the Union addresses of 2010 on as the test split', () => {
    const sotu = loadStateOfTheUnionPos({ trainSentences: 5, heldOutSentences: 20 });
    expect(sotu.test).toHaveLength(20);
    expect(sotu.test[0]!.words.slice(0, 4)).toEqual(['for', '220', 'years', ',']);
    expect(sotu.test[0]!.tags.slice(0, 3)).toEqual(['IN', 'CD', 'NNS']);
  });
});
