import type { DatasetDefinition } from '@nnkit/core';
import { readMobyDick } from '../text/moby-dick.js';
import { TAGGED_SENTENCE_OPTIONS, taggedSentenceCorpus, type TaggedSentenceCorpus, type TaggedSentenceOptions } from './tagged-corpus.js';

/**
 * Moby Dick's sentences, each word with a SILVER Penn tag from wink-pos-tagger (a tagger's labels, not a
 * treebank's): chapters 1–115 train, 116–125 validation, 126–135 and the Epilogue test, as `datasets/moby-dick`
 * splits them (the Etymology and the Extracts, lists of quotations in many languages, are left out).
 */
export function loadMobyDickPos(options: TaggedSentenceOptions = {}): TaggedSentenceCorpus {
  return taggedSentenceCorpus(
    'datasets/moby-dick-pos',
    'Moby Dick: chapters 1–115 train, 116–125 validation, 126–Epilogue test',
    () => {
      const chapters = readMobyDick()
        .slice(3)
        .map((c) => c.text); // chapter 1 on: without the contents, the Etymology and the Extracts
      return { train: chapters.slice(0, 115), validation: chapters.slice(115, 125), test: chapters.slice(125) };
    },
    options,
  );
}

export const mobyDickPos: DatasetDefinition<TaggedSentenceCorpus> = {
  name: 'moby-dick-pos',
  description: 'Moby Dick in sentences, words tagged with Penn tags by wink-pos-tagger (silver labels); chapters 1–115 train',
  task: 'pos/tagged-sentences',
  options: TAGGED_SENTENCE_OPTIONS,
  load: async (options) => loadMobyDickPos(options as TaggedSentenceOptions),
};
