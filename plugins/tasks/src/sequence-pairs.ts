import { DataError, type SequencePairCorpus, type TaskDefinition, type TrainableModel } from '@nnkit/core';
import { evaluate, pairsOf, sequencePairBatches, type SequenceVocabularies, splitOf } from '@nnkit/train';
import { batchSizeFor } from './batch-size.js';
import { corpusDecides } from './corpus-decides.js';
import { splitsWhere } from './splits.js';

/** What the task calls on a sequence-to-sequence model: token ids in, token ids and attention out. */
export interface SequenceTranslator extends TrainableModel {
  translate(
    sources: number[][],
    options?: { beam?: number; maxLength?: number; lengthPenalty?: number },
  ): Promise<{ tokens: number[][]; attention?: number[][][] }>;
}

export function isSequencePairCorpus(data: unknown): data is SequencePairCorpus {
  return (data as SequencePairCorpus | undefined)?.kind === 'sequence-pairs';
}

export function isTranslator(model: unknown): model is SequenceTranslator {
  return typeof (model as SequenceTranslator | undefined)?.translate === 'function';
}

/** The two vocabularies and how their tokens join, as a saved model keeps them. */
export function vocabulariesOf(corpus: SequencePairCorpus): SequenceVocabularies {
  return {
    source: corpus.sourceVocabulary.tokens,
    target: corpus.targetVocabulary.tokens,
    sourceSeparator: corpus.sourceSeparator,
    targetSeparator: corpus.targetSeparator,
  };
}

/**
 * Sources and their targets (spellings and their phones, dates in many formats and their ISO form): padded, masked,
 * length-bucketed pairs for teacher forcing, per-token loss; a model is scored by decoding each source (greedy or
 * beam search) against every target that counts as right: exact match, word and token (phone) error rates, BLEU.
 * The corpus decides `sourceVocabularySize` and `targetVocabularySize`.
 */
export const sequencePairs: TaskDefinition<SequencePairCorpus, SequenceTranslator> = {
  name: 'sequence-pairs',
  description: 'sources and their targets (G2P, dates, names): padded, bucketed pairs; exact match, WER, PER, BLEU',
  holds: 'sequence pairs (sources and their targets)',
  learner: 'a sequence-to-sequence model, which translates a source into a target',
  decodes: true,
  batchSize: 64,
  accepts: isSequencePairCorpus,
  fits: isTranslator,
  ...corpusDecides((corpus) => [
    {
      field: 'sourceVocabularySize',
      corpus: corpus.sourceVocabulary.tokens.length,
      what: 'symbols in its source vocabulary',
      rule: 'atLeast',
    },
    {
      field: 'targetVocabularySize',
      corpus: corpus.targetVocabulary.tokens.length,
      what: 'symbols in its target vocabulary',
      rule: 'atLeast',
    },
  ]),
  trainingData(corpus, { batchSize, dataset = 'the dataset', onNote = () => {} }) {
    const ends = { startId: corpus.targetVocabulary.id('<s>'), endId: corpus.targetVocabulary.id('</s>') };
    const pairs = pairsOf(corpus.train);
    if (pairs.length === 0)
      throw new DataError(
        `Training expects sequence pairs from ${dataset}, got none in its train split. Ask the dataset for some: its train option.`,
      );
    // A corpus asked for no validation pairs ({"validation": 0}) trains without validation, and says so.
    const validationPairs = pairsOf(corpus.validation);
    if (validationPairs.length === 0) onNote(`${dataset} has no validation pairs: training without validation loss or scores`);
    const size = batchSizeFor(batchSize, pairs.length, 'sequence pairs', onNote);
    return {
      train: sequencePairBatches(pairs, { batchSize: size, ...ends }),
      ...(validationPairs.length > 0 && {
        validation: sequencePairBatches(validationPairs, { batchSize: 256, shuffle: false, ...ends }),
        // Decoding every validation source takes too long for every epoch: once, when training ends.
        validationScores: async (model: SequenceTranslator) => {
          const scores = await evaluate(model, { examples: corpus.validation });
          return { exact_match: scores.exact_match!, token_error_rate: scores.token_error_rate!, bleu: scores.bleu! };
        },
      }),
      settings: { batchSize: size },
    };
  },
  async evaluate(model, corpus, split, { beam = 1, limit, outputs }) {
    const examples = splitOf(sequencePairs, corpus, split);
    const scores = await evaluate(
      model,
      { examples: limit === undefined ? examples : examples.slice(0, limit) },
      { beam, ...(outputs && { outputs }) },
    );
    // The outputs that are words' pronunciations make the sequence error rate G2P's word error rate, its name here.
    return {
      exact_match: scores.exact_match!,
      word_error_rate: scores.sequence_error_rate!,
      token_error_rate: scores.token_error_rate!,
      bleu: scores.bleu!,
    };
  },
  splits: (corpus) => splitsWhere((split) => (corpus[split]?.length ?? 0) > 0),
  splitSize: (corpus, split) => ({ count: splitOf(sequencePairs, corpus, split).length, unit: 'sources', field: 'examples' }),
  saveExtras: (corpus) => ({ vocabularies: vocabulariesOf(corpus) }),
};
