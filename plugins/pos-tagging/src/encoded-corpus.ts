import type { TaggedSentence, TaggedSentenceCorpus } from './corpus.js';
import { encodeSentence, taggingVocabulary, type EncodedSentence, type TaggingVocabulary } from './vocabulary.js';

/** A corpus as its taggers read it: the vocabulary of its training split, and every split as ids. */
export interface EncodedCorpus {
  readonly vocabulary: TaggingVocabulary;
  readonly tagIds: ReadonlyMap<string, number>;
  readonly train: readonly EncodedSentence[];
  readonly validation: readonly EncodedSentence[];
  readonly test: readonly EncodedSentence[];
  /** Other sentences (another corpus's test split) as ids in this corpus's vocabulary. */
  encode(sentences: readonly TaggedSentence[]): EncodedSentence[];
}

const encoded = new WeakMap<TaggedSentenceCorpus, EncodedCorpus>();

/**
 * `corpus` encoded once (the task's config, batches and scores all ask for it): the same corpus object always gives
 * the same vocabulary, so a model's `vocabularySize` and its data agree.
 */
export function encodeCorpus(corpus: TaggedSentenceCorpus): EncodedCorpus {
  const known = encoded.get(corpus);
  if (known) return known;
  const vocabulary = taggingVocabulary(corpus.train);
  const tagIds = new Map(corpus.tagSet.map((tag, i) => [tag, i]));
  const encode = (sentences: readonly TaggedSentence[]) => sentences.map((s) => encodeSentence(s, vocabulary, tagIds));
  const result: EncodedCorpus = {
    vocabulary,
    tagIds,
    train: encode(corpus.train),
    validation: encode(corpus.validation),
    test: encode(corpus.test),
    encode,
  };
  encoded.set(corpus, result);
  return result;
}
