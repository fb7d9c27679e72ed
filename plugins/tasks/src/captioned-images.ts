import { DataError, type ImageCaptionCorpus, type TaskDefinition, type TrainableModel } from '@nnkit/core';
import { captionBatches, type Captions, evaluate, splitOf } from '@nnkit/train';
import { batchSizeFor } from './batch-size.js';
import { corpusDecides } from './corpus-decides.js';
import { splitsWhere } from './splits.js';

/** What the task calls on an image captioner: images in, word ids (and attention) out. */
export interface ImageCaptionerModel extends TrainableModel, Captions {}

export function isImageCaptionCorpus(data: unknown): data is ImageCaptionCorpus {
  return (data as ImageCaptionCorpus | undefined)?.kind === 'image-captions';
}

export function isCaptioner(model: unknown): model is ImageCaptionerModel {
  return typeof (model as ImageCaptionerModel | undefined)?.caption === 'function';
}

/** Images scored once training ends: enough for a steady exact match, few enough to take seconds. */
const SCORED_IMAGES = 1000;

/**
 * Images and their captions (scenes of digits described in words, lines of digits read as digit strings): images
 * with captions padded and masked for teacher forcing, per-word loss; a model is scored by captioning each image
 * (greedy or beam search): exact match, BLEU-4 and the token (for digit strings, character) error rate. The corpus
 * decides `vocabularySize`, `imageHeight`, `imageWidth` and `imageChannels`.
 */
export const captionedImages: TaskDefinition<ImageCaptionCorpus, ImageCaptionerModel> = {
  name: 'captioned-images',
  description: 'images and their captions (digit scenes, digit lines): padded, masked captions; exact match, BLEU, token error rate',
  holds: 'captioned images',
  learner: 'an image captioner, which describes an image in words',
  decodes: true,
  batchSize: 64,
  accepts: isImageCaptionCorpus,
  fits: isCaptioner,
  // The config fields the corpus decides: its vocabulary's size and its images' shape.
  ...corpusDecides((corpus) => {
    const [imageHeight, imageWidth, imageChannels] = corpus.imageShape;
    return [
      { field: 'vocabularySize', corpus: corpus.vocabulary.tokens.length, what: 'symbols in its vocabulary', rule: 'atLeast' },
      { field: 'imageHeight', corpus: imageHeight, what: 'rows in its images', rule: 'equal' },
      { field: 'imageWidth', corpus: imageWidth, what: 'columns in its images', rule: 'equal' },
      { field: 'imageChannels', corpus: imageChannels, what: 'channels in its images', rule: 'equal' },
    ];
  }),
  trainingData(corpus, { batchSize, dataset = 'the dataset', onNote = () => {} }) {
    if (corpus.train.count === 0)
      throw new DataError(
        `Training expects captioned images from ${dataset}, got none in its train split. Ask the dataset for some: its train option.`,
      );
    // A corpus asked for no validation images ({"validation": 0}) trains without validation, and says so.
    if (corpus.validation.count === 0) onNote(`${dataset} has no validation images: training without validation loss or scores`);
    const ends = { startId: corpus.vocabulary.id('<s>'), endId: corpus.vocabulary.id('</s>') };
    const size = batchSizeFor(batchSize, corpus.train.count, 'captioned images', onNote);
    return {
      train: captionBatches(corpus.train, corpus.imageShape, { batchSize: size, ...ends }),
      ...(corpus.validation.count > 0 && {
        validation: captionBatches(corpus.validation, corpus.imageShape, { batchSize: 256, shuffle: false, ...ends }),
        // Captioning is decoding: once, when training ends, on the first validation images.
        validationScores: async (model: ImageCaptionerModel) => {
          const scores = await evaluate(model, {
            images: corpus.validation,
            imageShape: corpus.imageShape,
            limit: SCORED_IMAGES,
          });
          return { exact_match: scores.exact_match!, bleu: scores.bleu!, token_error_rate: scores.token_error_rate! };
        },
      }),
      settings: { batchSize: size },
    };
  },
  async evaluate(model, corpus, split, { beam = 1, limit, outputs }) {
    const scores = await evaluate(
      model,
      { images: splitOf(captionedImages, corpus, split), imageShape: corpus.imageShape, ...(limit !== undefined && { limit }) },
      { beam, ...(outputs && { outputs }) },
    );
    return { exact_match: scores.exact_match!, bleu: scores.bleu!, token_error_rate: scores.token_error_rate! };
  },
  splits: (corpus) => splitsWhere((split) => (corpus[split]?.count ?? 0) > 0),
  splitSize: (corpus, split) => ({ count: splitOf(captionedImages, corpus, split).count, unit: 'images', field: 'images' }),
  saveExtras: (corpus) => ({ vocabulary: corpus.vocabulary.tokens, separator: corpus.separator }),
};
