import { DataError, type ImageCaptionCorpus, type TrainableModel } from '@nnkit/core';
import { captionBatches, saveModel, scoreCaptions, train } from '@nnkit/train';
import { isCaptioner, type ImageCaptioner } from '../captions.js';
import { modelDataKind, wrongKindOfData, wrongKindOr } from '../data-kinds.js';
import { refuseMisfits } from './corpus-fit.js';
import { batchSizeFor, checkpointsFor, type TrainingRun } from './training-run.js';

export interface CaptionTraining extends TrainingRun {
  readonly corpus: ImageCaptionCorpus;
  readonly batchSize: number;
}

/** Images scored after training: enough for a steady exact match, few enough to take seconds. */
const SCORED_IMAGES = 1000;

/**
 * `nnkit train` for an image captioner: captioned images, captions padded and masked, through the one training loop
 * with per-word validation loss each epoch, then exact match and BLEU-4 on validation images. Config fields
 * `vocabularySize`, `imageHeight`, `imageWidth` and `imageChannels` left unset are filled from the corpus.
 */
export async function trainOnCaptions(options: CaptionTraining) {
  const { kit, key, definition, corpus, datasetKey } = options;
  const [imageHeight, imageWidth, imageChannels] = corpus.imageShape;
  const fromCorpus = { vocabularySize: corpus.vocabulary.tokens.length, imageHeight, imageWidth, imageChannels };
  const filled = Object.fromEntries(Object.entries(fromCorpus).filter(([name]) => name in definition.config && options.overrides[name] === undefined));
  const instance = await kit.createModel<ImageCaptioner>(key, { ...(options.preset !== undefined && { preset: options.preset }), config: { ...filled, ...options.overrides } }).catch(async (error: unknown) => {
    throw await wrongKindOr(error, kit, key, datasetKey, corpus);
  });
  const model = instance.model;
  if (!isCaptioner(model)) {
    (model as TrainableModel).dispose?.();
    throw wrongKindOfData(kit, key, modelDataKind(definition, model), datasetKey, corpus);
  }
  try {
    refuseMisfits(key, datasetKey, instance.config, [
      { field: 'vocabularySize', corpus: fromCorpus.vocabularySize, what: 'symbols in its vocabulary', rule: 'atLeast' },
      { field: 'imageHeight', corpus: imageHeight!, what: 'rows in its images', rule: 'equal' },
      { field: 'imageWidth', corpus: imageWidth!, what: 'columns in its images', rule: 'equal' },
      { field: 'imageChannels', corpus: imageChannels!, what: 'channels in its images', rule: 'equal' },
    ]);
  } catch (error) {
    model.dispose?.();
    throw error;
  }
  if (corpus.train.count === 0) {
    model.dispose?.();
    throw new DataError(`nnkit train expects captioned images from ${datasetKey}, got none (options ${JSON.stringify(options.datasetOptions)}). Ask the dataset for some: its train option.`);
  }
  // A corpus asked for no validation images ({"validation": 0}) trains without validation, and says so.
  if (corpus.validation.count === 0) kit.progress.log(`${datasetKey} has no validation images: training without validation loss or scores`);
  const ends = { startId: corpus.vocabulary.id('<s>'), endId: corpus.vocabulary.id('</s>') };
  const batchSize = batchSizeFor(options.batchSize, corpus.train.count, 'captioned images', (line) => kit.progress.log(line));
  try {
    options.claimOut();
    const result = await train({
      model,
      data: {
        train: captionBatches(corpus.train, corpus.imageShape, { batchSize, ...ends }),
        ...(corpus.validation.count > 0 && { validation: captionBatches(corpus.validation, corpus.imageShape, { batchSize: 256, shuffle: false, ...ends }) }),
      },
      epochs: options.epochs, optimizer: options.optimizer,
      ...(options.clipNorm !== undefined && { clip: { norm: options.clipNorm } }),
      checkpoint: checkpointsFor(options, instance.config, { batchSize }), resume: options.resume,
      seed: kit.random.derive(`train/${key}`), progress: options.quiet ? { ...kit.progress, log: () => {} } : kit.progress, label: key,
    });
    const metrics: Record<string, number> = { ...result.history.at(-1)?.metrics };
    if (corpus.validation.count > 0) {
      const scores = await scoreCaptions(model, corpus.validation, corpus.imageShape, { limit: SCORED_IMAGES });
      Object.assign(metrics, { val_exact_match: scores.exactMatch, val_bleu: scores.bleu, val_token_error_rate: scores.tokenErrorRate });
    }
    const saved = await saveModel(options.out, instance, {
      dataset: { key: datasetKey, options: options.datasetOptions }, metrics, steps: result.steps,
      vocabulary: corpus.vocabulary.tokens, separator: corpus.separator, onNote: (line) => kit.progress.log(line),
    });
    return { result, metrics, saved };
  } finally {
    model.dispose?.();
  }
}
