import type { DatasetDefinition } from '@nnkit/core';
import { readStateOfTheUnion, SOTU_SPLITS } from '../text/sotu.js';
import { TAGGED_SENTENCE_OPTIONS, taggedSentenceCorpus, type TaggedSentenceCorpus, type TaggedSentenceOptions } from './tagged-corpus.js';

/**
 * The State of the Union addresses in sentences, each word with a SILVER Penn tag from wink-pos-tagger (a tagger's
 * labels, not a treebank's), split by year as `datasets/sotu`: before 2000 train, 2000–2009 validation, 2010– test.
 */
export function loadStateOfTheUnionPos(options: TaggedSentenceOptions = {}): TaggedSentenceCorpus {
  return taggedSentenceCorpus(
    'datasets/sotu-pos',
    `State of the Union: before ${SOTU_SPLITS.validationFrom} train, ${SOTU_SPLITS.validationFrom}–${SOTU_SPLITS.testFrom - 1} validation, ${SOTU_SPLITS.testFrom}– test`,
    () => {
      const addresses = readStateOfTheUnion();
      const between = (from: number, to: number) => addresses.filter((a) => a.year >= from && a.year < to).map((a) => a.text);
      return {
        train: between(0, SOTU_SPLITS.validationFrom),
        validation: between(SOTU_SPLITS.validationFrom, SOTU_SPLITS.testFrom),
        test: between(SOTU_SPLITS.testFrom, Infinity),
      };
    },
    options,
  );
}

export const stateOfTheUnionPos: DatasetDefinition<TaggedSentenceCorpus> = {
  name: 'sotu-pos',
  description: 'State of the Union addresses in sentences, Penn tags by wink-pos-tagger (silver labels); 2010– test',
  task: 'pos/tagged-sentences',
  options: TAGGED_SENTENCE_OPTIONS,
  load: async (options) => loadStateOfTheUnionPos(options as TaggedSentenceOptions),
};
