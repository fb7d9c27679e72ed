import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { hmmModel } from './hmm-model.js';
import { recurrentTaggerModel } from './recurrent-tagger.js';
import { taggedSentences } from './tagged-sentences.js';

/**
 * Part-of-speech tagging as an nnkit plugin: the task `pos/tagged-sentences` (sentences with a tag per word), and two
 * taggers that learn it, the hidden Markov model `pos/hmm` and the recurrent tagger `pos/rnn-tagger` over any
 * registered cell, found through the registry by name (load the plugin that registers the cell too).
 */
export default function posTaggingPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/plugin-pos-tagging', version: '1.0.0', namespace: 'pos', nnkit: '^2.0.0' },
    tasks: [taggedSentences],
    models: [hmmModel, recurrentTaggerModel],
  });
}

export { isTaggedSentenceCorpus, type TaggedSentence, type TaggedSentenceCorpus } from './corpus.js';
export { WORD_CLASS_TOKENS, wordClassToken } from './word-classes.js';
export { taggingVocabulary, encodeSentence, PAD_TOKEN, type TaggingVocabulary, type EncodedSentence } from './vocabulary.js';
export { encodeCorpus, type EncodedCorpus } from './encoded-corpus.js';
export { padSentences, sentenceBatches } from './batches.js';
export { countHmm, viterbi, logJoint, splitTransitions, type Hmm, type HmmCounting, type StateSequence } from './hmm.js';
export { hmmModel, type HmmTagger } from './hmm-model.js';
export { recurrentTaggerModel, type RecurrentTagger } from './recurrent-tagger.js';
export { isSequenceTagger, taggedBatch, type SequenceTagger } from './tagger.js';
export { taggedSentences, scoreTagger, taggingAccuracy, type TaggingScores } from './tagged-sentences.js';
