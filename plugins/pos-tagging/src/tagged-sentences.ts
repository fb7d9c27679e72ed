import * as tf from '@tensorflow/tfjs';
import { ConfigError, DataError, type TaskDefinition } from '@nnkit/core';
import { splitOf } from '@nnkit/train';
import { isTaggedSentenceCorpus, type TaggedSentenceCorpus } from './corpus.js';
import { encodeCorpus } from './encoded-corpus.js';
import { sentenceBatches } from './batches.js';
import { isSequenceTagger, type SequenceTagger } from './tagger.js';
import type { EncodedSentence, TaggingVocabulary } from './vocabulary.js';

/** Scores of a tagger on some sentences: accuracy over all words, and over the words read as their class (unseen). */
export interface TaggingScores {
  readonly accuracy: number;
  /** Over the words without an id of their own (rare or unseen in training); NaN where there are none. */
  readonly unseenAccuracy: number;
  /** How many words were scored, and how many of them unseen. */
  readonly words: number;
  readonly unseenWords: number;
  /** Each scored word's predicted tag, sentence by sentence, for the caller's own breakdowns. */
  readonly predicted: readonly (readonly number[])[];
}

/** Sentences a tagger reads at once when scoring. */
const SCORING_BATCH = 64;

/**
 * How many of `predicted`'s tags (a tag per word, sentence by sentence) match `sentences`' own: over every word, and
 * over the words the vocabulary reads as a class (unseen in training, or too rare to have an id of their own).
 */
export function taggingAccuracy(
  sentences: readonly EncodedSentence[],
  predicted: readonly (readonly number[])[],
  vocabulary: TaggingVocabulary,
): Omit<TaggingScores, 'predicted'> {
  let [correct, words, unseenCorrect, unseenWords] = [0, 0, 0, 0];
  sentences.forEach((sentence, s) =>
    sentence.tags.forEach((tag, t) => {
      const right = predicted[s]![t] === tag ? 1 : 0;
      [correct, words] = [correct + right, words + 1];
      if (sentence.tokens[t]! < vocabulary.firstWord) [unseenCorrect, unseenWords] = [unseenCorrect + right, unseenWords + 1];
    }),
  );
  return { accuracy: correct / words, unseenAccuracy: unseenCorrect / unseenWords, words, unseenWords };
}

/** `tagger`'s tags for `sentences`, SCORING_BATCH at a time, and how many it got right (taggingAccuracy). */
export async function scoreTagger(
  tagger: SequenceTagger,
  sentences: readonly EncodedSentence[],
  vocabulary: TaggingVocabulary,
): Promise<TaggingScores> {
  const source = sentenceBatches(sentences, { batchSize: SCORING_BATCH, shuffle: false });
  const predicted: number[][] = [];
  for (let index = 0; index < source.batchesPerEpoch; index++) {
    const batch = source.batch(0, index, 0);
    const tagged = tagger.tag(batch.tokens as tf.Tensor2D, batch.mask as tf.Tensor2D);
    const rows = (await tagged.array()) as number[][];
    tf.dispose([tagged, ...Object.values(batch)]);
    // Each row cut to its sentence's own length: the padding's tags are not predictions.
    rows.forEach((row, b) => predicted.push(row.slice(0, sentences[index * SCORING_BATCH + b]!.tokens.length)));
  }
  return { ...taggingAccuracy(sentences, predicted, vocabulary), predicted };
}

/**
 * Sentences with a tag per word (part-of-speech tagging): the training split's words make the vocabulary (rare and
 * unseen ones read as word classes), batches are right-padded with a mask, the corpus decides `vocabularySize` and
 * `tags`, and a tagger is scored by its loss per word, its accuracy, and its accuracy on words unseen in training.
 */
export const taggedSentences: TaskDefinition<TaggedSentenceCorpus, SequenceTagger> = {
  name: 'tagged-sentences',
  description: 'sentences with a tag per word: masked batches of word ids and tag ids; tag accuracy, also on unseen words',
  holds: 'tagged sentences (words and a part-of-speech tag for each)',
  learner: 'a tagger, which gives every word a tag',
  batchSize: 32,
  accepts: isTaggedSentenceCorpus,
  fits: isSequenceTagger,
  configFrom(data, schema) {
    const values: Record<string, unknown> = { vocabularySize: encodeCorpus(data).vocabulary.tokens.length, tags: data.tagSet.length };
    return Object.fromEntries(Object.entries(values).filter(([name]) => name in schema));
  },
  check(data, config, { model, dataset }) {
    const { tokens } = encodeCorpus(data).vocabulary;
    if (typeof config.vocabularySize === 'number' && config.vocabularySize < tokens.length) {
      throw new ConfigError(
        `${model} expects vocabularySize ≥ ${tokens.length} (the word ids of ${dataset}), got ${config.vocabularySize}. Leave vocabularySize out to take the corpus's.`,
        'vocabularySize',
      );
    }
    if (typeof config.tags === 'number' && config.tags !== data.tagSet.length) {
      throw new ConfigError(
        `${model} expects tags = ${data.tagSet.length} (the tag set of ${dataset}), got ${config.tags}. Leave tags out to take the corpus's.`,
        'tags',
      );
    }
  },
  trainingData(data, { batchSize, dataset = 'the dataset', onNote }) {
    const { train, validation } = encodeCorpus(data);
    if (train.length === 0)
      throw new DataError(`pos/tagged-sentences expects sentences in ${dataset}'s train split, got none. Ask for more training sentences.`);
    const size = Math.min(batchSize, train.length);
    if (size < batchSize) onNote?.(`batch size ${batchSize} cut to the ${size} sentences of ${dataset}'s train split`);
    return {
      train: sentenceBatches(train, { batchSize: size, shuffle: true }),
      ...(validation.length > 0 && { validation: sentenceBatches(validation, { batchSize: SCORING_BATCH, shuffle: false }) }),
      settings: { batchSize: size },
    };
  },
  async evaluate(model, data, split, { limit }) {
    const encoded = encodeCorpus(data);
    splitOf(taggedSentences, data, split); // refuses a split the data lacks, naming those it has
    const sentences = encoded[split].slice(0, limit);
    const source = sentenceBatches(sentences, { batchSize: SCORING_BATCH, shuffle: false });
    let [loss, words] = [0, 0];
    for (let index = 0; index < source.batchesPerEpoch; index++) {
      const batch = source.batch(0, index, 0);
      const { sum, weight } = model.loss(batch, { training: false });
      loss += (await sum.data())[0]!;
      words += typeof weight === 'number' ? weight : (await weight.data())[0]!;
      tf.dispose([sum, ...(typeof weight === 'number' ? [] : [weight]), ...Object.values(batch)]);
    }
    const scores = await scoreTagger(model, sentences, encoded.vocabulary);
    return { loss: loss / words, accuracy: scores.accuracy, unseen_accuracy: scores.unseenAccuracy };
  },
  splits: (data) => (['train', 'validation', 'test'] as const).filter((split) => data[split].length > 0),
  splitSize: (data, split) => ({ count: splitOf(taggedSentences, data, split).length, unit: 'sentences', field: 'sentences' }),
  saveExtras: (data) => ({ vocabulary: encodeCorpus(data).vocabulary.tokens }),
};
