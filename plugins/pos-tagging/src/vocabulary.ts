import { ConfigError, DataError } from '@nnkit/core';
import type { TaggedSentence } from './corpus.js';
import { WORD_CLASS_TOKENS, wordClassToken } from './word-classes.js';

/** The padding token: id 0, which no sentence holds. */
export const PAD_TOKEN = '<pad>';

/**
 * The ids a tagger reads. Id 0 is `<pad>`, then one token per word class (`<unk:-ing>`, …), then every word seen at
 * least `minCount` times in training, by falling frequency (ties alphabetically). A rarer or unseen word reads as its
 * class: so both taggers learn what an unknown word looks like from the rare words of training (hapax legomena, with
 * the default minCount of 2), and meet unseen words at test time as something they have learned.
 */
export interface TaggingVocabulary {
  readonly tokens: readonly string[];
  /** The first id of a word proper; ids below it are `<pad>` and the word classes. */
  readonly firstWord: number;
  /** The id `word` reads as: its own, or its class's. */
  id(word: string): number;
  /** Whether `word` has an id of its own (was seen at least minCount times in training). */
  known(word: string): boolean;
  encode(words: readonly string[]): number[];
}

export function taggingVocabulary(training: readonly TaggedSentence[], minCount = 2): TaggingVocabulary {
  if (!(Number.isInteger(minCount) && minCount >= 1))
    throw new ConfigError(
      `taggingVocabulary expects minCount to be an integer ≥ 1, got ${minCount}. Use 2 to learn unknown words from hapaxes.`,
      'minCount',
    );
  const counts = new Map<string, number>();
  for (const sentence of training) for (const word of sentence.words) counts.set(word, (counts.get(word) ?? 0) + 1);
  const words = [...counts]
    .filter(([, count]) => count >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([word]) => word);
  const tokens = [PAD_TOKEN, ...WORD_CLASS_TOKENS, ...words];
  const index = new Map(tokens.map((token, i) => [token, i]));
  const firstWord = 1 + WORD_CLASS_TOKENS.length;
  const known = (word: string) => (index.get(word) ?? 0) >= firstWord;
  const id = (word: string) => (known(word) ? index.get(word)! : index.get(wordClassToken(word))!);
  return { tokens, firstWord, id, known, encode: (list) => list.map(id) };
}

/** A sentence as ids: a token id and a tag id per word. */
export interface EncodedSentence {
  readonly tokens: readonly number[];
  readonly tags: readonly number[];
}

/** `sentence` as ids, its tags by their index in `tagSet`; a tag outside it is a DataError that names both. */
export function encodeSentence(
  sentence: TaggedSentence,
  vocabulary: TaggingVocabulary,
  tagIds: ReadonlyMap<string, number>,
): EncodedSentence {
  if (sentence.tags.length !== sentence.words.length)
    throw new DataError(
      `A tagged sentence expects one tag per word, got ${sentence.words.length} words and ${sentence.tags.length} tags ("${sentence.words.slice(0, 8).join(' ')} …"). Fix the dataset's loader.`,
    );
  return {
    tokens: vocabulary.encode(sentence.words),
    tags: sentence.tags.map((tag) => {
      const id = tagIds.get(tag);
      if (id === undefined)
        throw new DataError(
          `A tagged sentence expects tags from the corpus's tag set (${[...tagIds.keys()].join(' ')}), got '${tag}'. Add it to the tag set or map it to one of them.`,
        );
      return id;
    }),
  };
}
