/** One sentence: its words (lower case) and a tag name for each. */
export interface TaggedSentence {
  readonly words: readonly string[];
  readonly tags: readonly string[];
}

/**
 * What a dataset of this plugin's task loads (`datasets/moby-dick-pos`, `datasets/sotu-pos`, or a third party's):
 * sentences in fixed splits, a tag for each word, and the tag set, in a fixed order that gives each tag its id. A plain
 * shape agreed through the registry, not an import: any plugin's dataset of this shape fits the task.
 */
export interface TaggedSentenceCorpus {
  readonly kind: 'tagged-sentences';
  /** The text and its splits, in words. */
  readonly source?: string;
  /** Where the tags come from (`silver: wink-pos-tagger`, or a treebank). */
  readonly labels?: string;
  readonly tagSet: readonly string[];
  readonly train: readonly TaggedSentence[];
  readonly validation: readonly TaggedSentence[];
  readonly test: readonly TaggedSentence[];
}

/** Whether a dataset's `load()` gave tagged sentences. */
export function isTaggedSentenceCorpus(data: unknown): data is TaggedSentenceCorpus {
  const corpus = data as TaggedSentenceCorpus | undefined;
  return corpus?.kind === 'tagged-sentences' && Array.isArray(corpus.tagSet) && Array.isArray(corpus.train);
}
