import { field, type ConfigSchema } from '@nnkit/core';
import { readOptions } from '../pairs/options.js';
import { PENN_TAGS } from './penn-tags.js';
import { splitSentences } from './sentences.js';
import { SILVER_TAGGER, tagSilver, type TaggedSentence } from './silver-tagger.js';

/**
 * What a silver-tagged dataset's `load()` returns (`datasets/moby-dick-pos`, `datasets/sotu-pos`): sentences in fixed
 * splits, each word with a Penn tag. The tags are SILVER: wink-pos-tagger's output, not a treebank's hand annotation,
 * so a model's accuracy on them says how well it agrees with that tagger. Plain arrays: nothing to dispose.
 */
export interface TaggedSentenceCorpus {
  readonly kind: 'tagged-sentences';
  /** The text and the splits, in words: `Moby Dick: chapters 1–115 train, …`. */
  readonly source: string;
  /** Where the tags come from: `silver: wink-pos-tagger`. */
  readonly labels: string;
  /** Every tag a sentence may hold (the Penn tags, in a fixed order: a tag's id is its index here). */
  readonly tagSet: readonly string[];
  readonly train: readonly TaggedSentence[];
  readonly validation: readonly TaggedSentence[];
  readonly test: readonly TaggedSentence[];
}

export interface TaggedSentenceOptions {
  /** Training sentences to keep, the first ones in text order (default: all). */
  readonly trainSentences?: number;
  /** Validation and test sentences to keep, each the first ones (default: all). */
  readonly heldOutSentences?: number;
  /** Sentences of more tokens are left out, not cut: a cut sentence would teach tags out of their context. Default 40. */
  readonly maxLength?: number;
}

export const TAGGED_SENTENCE_OPTIONS: ConfigSchema = {
  trainSentences: field.integer({ min: 1, description: 'training sentences to keep, the first ones (default: all)' }),
  heldOutSentences: field.integer({ min: 1, description: 'validation and test sentences to keep, each the first ones (default: all)' }),
  maxLength: field.integer({ default: 40, min: 1, max: 1_000, description: 'longer sentences (in tokens) are left out, not cut' }),
};

type Split = 'train' | 'validation' | 'test';

/** A split's sentences as text, and those tagged so far in text order (index i tagged iff i < tagged.length). */
interface LazySplit {
  readonly text: readonly string[];
  readonly tagged: TaggedSentence[];
}

/**
 * Tagged sentences kept for the life of the process, by corpus and split: tagging is the slow part (≈ 100,000 tokens
 * a second), so each sentence is tagged at most once, and only when a caller asks for that many.
 */
const cache = new Map<string, LazySplit>();

/**
 * The first `count` sentences of `text` (the split's sentences in order) of at most `maxLength` tokens, tagging only
 * as far as needed. The same arguments always give the same sentences in the same order.
 */
function firstTagged(key: string, text: () => readonly string[], count: number, maxLength: number): TaggedSentence[] {
  let split = cache.get(key);
  if (!split) cache.set(key, (split = { text: text(), tagged: [] }));
  const kept: TaggedSentence[] = [];
  for (let i = 0; i < split.text.length && kept.length < count; i++) {
    if (i === split.tagged.length) split.tagged.push(tagSilver(split.text[i]!));
    const sentence = split.tagged[i]!;
    if (sentence.words.length > 0 && sentence.words.length <= maxLength) kept.push(sentence);
  }
  return kept;
}

/**
 * A silver-tagged corpus from documents already split: `corpus` names it in cache keys and messages
 * (`datasets/moby-dick-pos`), `documents` gives each split's documents in order (called once per process).
 */
export function taggedSentenceCorpus(
  corpus: string,
  source: string,
  documents: () => Record<Split, readonly string[]>,
  options: TaggedSentenceOptions,
): TaggedSentenceCorpus {
  const { trainSentences, heldOutSentences, maxLength } = readOptions<TaggedSentenceOptions & { maxLength: number }>(
    corpus,
    TAGGED_SENTENCE_OPTIONS,
    options,
  );
  let texts: Record<Split, readonly string[]> | undefined;
  const sentencesOf = (split: Split) => () => (texts ??= documents())[split].flatMap(splitSentences);
  const take = (split: Split, count: number | undefined) =>
    firstTagged(`${corpus}/${split}`, sentencesOf(split), count ?? Infinity, maxLength);
  return {
    kind: 'tagged-sentences',
    source,
    labels: `silver: ${SILVER_TAGGER}`,
    tagSet: PENN_TAGS,
    train: take('train', trainSentences),
    validation: take('validation', heldOutSentences),
    test: take('test', heldOutSentences),
  };
}
