import type { StreamModel, TrainingDefaults } from '@nnkit/core';
import { saveModel, toStreams, train } from '@nnkit/train';
import * as tf from '@tensorflow/tfjs';
import { expectTokenCorpus, measureOnTokens, VALIDATION_STREAMS } from '../token-corpus.js';
import { refuseMisfits } from './corpus-fit.js';
import { checkpointsFor, type TrainingRun } from './training-run.js';

export interface TokenTraining extends TrainingRun {
  readonly bptt: NonNullable<TrainingDefaults['bptt']>;
}

/**
 * `nnkit train` for a language model: one long token stream, truncated BPTT, validation perplexity after each
 * epoch. A config field `vocabularySize` left unset is filled from the corpus.
 */
export async function trainOnTokens(options: TokenTraining) {
  const { kit, key, definition, bptt, datasetKey } = options;
  const corpus = expectTokenCorpus(await kit.loadDataset(datasetKey, options.datasetOptions), datasetKey);
  const vocabularySize = 'vocabularySize' in definition.config && options.overrides.vocabularySize === undefined ? { vocabularySize: corpus.vocabulary.tokens.length } : {};
  const instance = await kit.createModel<StreamModel>(key, { ...(options.preset !== undefined && { preset: options.preset }), config: { ...vocabularySize, ...options.overrides } });
  try {
    refuseMisfits(key, datasetKey, instance.config, [{ field: 'vocabularySize', corpus: corpus.vocabulary.tokens.length, what: 'symbols in its vocabulary', rule: 'atLeast' }]);
  } catch (error) {
    instance.model.dispose?.();
    throw error;
  }
  const data = toStreams(corpus.train, bptt.streams);
  const log = (line: string) => (options.quiet ? undefined : kit.progress.log(line));
  const { validation } = corpus;
  // Measured by train after each epoch (as val_loss), which stops on a non-finite or overflowing one.
  const validationStreams = validation && toStreams(validation, VALIDATION_STREAMS);
  try {
    options.claimOut();
    const result = await train({
      model: instance.model, data, ...(validationStreams && { validation: validationStreams }), bptt, epochs: options.epochs, optimizer: options.optimizer,
      ...(options.clipNorm !== undefined && { clip: { norm: options.clipNorm } }),
      checkpoint: checkpointsFor(options, instance.config), resume: options.resume,
      callbacks: validation ? [{ onEpochEnd: ({ epoch, metrics }) => log(`epoch ${epoch}: validation perplexity ${Math.exp(metrics.val_loss!).toFixed(2)}`) }] : [],
      seed: kit.random.derive(`train/${key}`), progress: options.quiet ? { ...kit.progress, log: () => {} } : kit.progress, label: key,
    });
    const metrics: Record<string, number> = { ...result.history.at(-1)?.metrics };
    if (validation) for (const [name, value] of Object.entries(await measureOnTokens(instance.model, validation))) metrics[`val_${name}`] = value;
    const saved = await saveModel(options.out, instance, { dataset: { key: datasetKey, options: options.datasetOptions }, metrics, steps: result.steps, vocabulary: corpus.vocabulary.tokens, onNote: (line) => kit.progress.log(line) });
    return { result, metrics, saved };
  } finally {
    instance.model.dispose?.();
    tf.dispose([data.xs, data.ys]);
    if (validationStreams) tf.dispose([validationStreams.xs, validationStreams.ys]);
  }
}
