import { DataError, type SequencePairCorpus, type TrainableModel } from '@nnkit/core';
import { pairsOf, saveModel, scoreTranslations, sequencePairBatches, train } from '@nnkit/train';
import { modelDataKind, wrongKindOfData, wrongKindOr } from '../data-kinds.js';
import { isTranslator, vocabulariesOf, type SequenceTranslator } from '../sequence-pairs.js';
import { refuseMisfits } from './corpus-fit.js';
import { batchSizeFor, checkpointsFor, type TrainingRun } from './training-run.js';

export interface PairTraining extends TrainingRun {
  readonly corpus: SequencePairCorpus;
  readonly batchSize: number;
}

/**
 * `nnkit train` for a sequence-to-sequence model: padded, masked, length-bucketed pairs through the one training
 * loop, per-token validation loss each epoch, then exact match and error rates on the validation split. Config
 * fields `sourceVocabularySize` and `targetVocabularySize` left unset are filled from the corpus.
 */
export async function trainOnPairs(options: PairTraining) {
  const { kit, key, definition, corpus, datasetKey } = options;
  const sizes = {
    ...('sourceVocabularySize' in definition.config && options.overrides.sourceVocabularySize === undefined && { sourceVocabularySize: corpus.sourceVocabulary.tokens.length }),
    ...('targetVocabularySize' in definition.config && options.overrides.targetVocabularySize === undefined && { targetVocabularySize: corpus.targetVocabulary.tokens.length }),
  };
  const instance = await kit.createModel<SequenceTranslator>(key, { ...(options.preset !== undefined && { preset: options.preset }), config: { ...sizes, ...options.overrides } }).catch(async (error: unknown) => {
    throw await wrongKindOr(error, kit, key, datasetKey, corpus);
  });
  const model = instance.model;
  if (!isTranslator(model)) {
    (model as TrainableModel).dispose?.();
    throw wrongKindOfData(kit, key, modelDataKind(definition, model), datasetKey, corpus);
  }
  try {
    refuseMisfits(key, datasetKey, instance.config, [
      { field: 'sourceVocabularySize', corpus: corpus.sourceVocabulary.tokens.length, what: 'symbols in its source vocabulary', rule: 'atLeast' },
      { field: 'targetVocabularySize', corpus: corpus.targetVocabulary.tokens.length, what: 'symbols in its target vocabulary', rule: 'atLeast' },
    ]);
  } catch (error) {
    model.dispose?.();
    throw error;
  }
  const ends = { startId: corpus.targetVocabulary.id('<s>'), endId: corpus.targetVocabulary.id('</s>') };
  const pairs = pairsOf(corpus.train);
  if (pairs.length === 0) {
    model.dispose?.();
    throw new DataError(`nnkit train expects training pairs from ${datasetKey}, got none (options ${JSON.stringify(options.datasetOptions)}). Ask the dataset for some: its train option.`);
  }
  // A corpus asked for no validation pairs ({"validation": 0}) trains without validation, and says so.
  const validationPairs = pairsOf(corpus.validation);
  if (validationPairs.length === 0) kit.progress.log(`${datasetKey} has no validation pairs: training without validation loss or scores`);
  const batchSize = batchSizeFor(options.batchSize, pairs.length, 'sequence pairs', (line) => kit.progress.log(line));
  try {
    options.claimOut();
    const result = await train({
      model,
      data: {
        train: sequencePairBatches(pairs, { batchSize, ...ends }),
        ...(validationPairs.length > 0 && { validation: sequencePairBatches(validationPairs, { batchSize: 256, shuffle: false, ...ends }) }),
      },
      epochs: options.epochs, optimizer: options.optimizer,
      ...(options.clipNorm !== undefined && { clip: { norm: options.clipNorm } }),
      checkpoint: checkpointsFor(options, instance.config, { batchSize }), resume: options.resume,
      seed: kit.random.derive(`train/${key}`), progress: options.quiet ? { ...kit.progress, log: () => {} } : kit.progress, label: key,
    });
    const metrics: Record<string, number> = { ...result.history.at(-1)?.metrics };
    if (validationPairs.length > 0) {
      const scores = await scoreTranslations(model, corpus.validation);
      Object.assign(metrics, { val_exact_match: scores.exactMatch, val_token_error_rate: scores.tokenErrorRate, val_bleu: scores.bleu });
    }
    const saved = await saveModel(options.out, instance, { dataset: { key: datasetKey, options: options.datasetOptions }, metrics, steps: result.steps, vocabularies: vocabulariesOf(corpus), onNote: (line) => kit.progress.log(line) });
    return { result, metrics, saved };
  } finally {
    model.dispose?.();
  }
}
