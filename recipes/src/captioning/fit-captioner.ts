import type { ImageCaptionCorpus, Kit, ModelInstance, SplitName, SupervisedData, TaskDefinition } from '@nnkit/core';
import type { Captioner, CaptionerConfig } from '@nnkit/plugin-captioner';
import type { CnnFeatures } from '@nnkit/plugin-cnn-features';
import { join } from 'node:path';
import { evaluate, saveModel, stepDecay, train, type GeneratedOutputs } from '@nnkit/train';
import { nnkitCommand, writeGreyPng } from '../report.js';
import { taskOf } from '../task-of.js';

/** The model the captioning recipes train. */
const CAPTIONER = 'captioner/captioner';

/** The captioner's task (captioned images), from the kit's registry: it batches the images and scores the captions. */
function captionTask(kit: Kit): TaskDefinition<ImageCaptionCorpus, Captioner> {
  return taskOf<ImageCaptionCorpus, Captioner>(kit, CAPTIONER);
}

export interface FitCaptionerOptions {
  readonly label: string;
  readonly preset: string;
  readonly config?: Partial<CaptionerConfig>;
  readonly corpus: ImageCaptionCorpus;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Halve the rate every epoch after this one. */
  readonly decayAfter?: number;
  /** conv1…conv3 trained elsewhere (a CNN on MNIST digits), copied into the encoder before training. */
  readonly encoderFrom?: CnnFeatures;
  readonly seed: number;
}

export interface FittedCaptioner {
  readonly instance: ModelInstance<Captioner>;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  readonly parameters: number;
  readonly history: readonly { epoch: number; metrics: Readonly<Record<string, number>> }[];
}

/** Creates `captioner/captioner` for the corpus's images and words and trains it with Adam, clipping at 5. */
export async function fitCaptioner(kit: Kit, options: FitCaptionerOptions): Promise<FittedCaptioner> {
  const { corpus } = options;
  const [imageHeight, imageWidth, imageChannels] = corpus.imageShape;
  const instance = await kit.createModel<Captioner>(CAPTIONER, {
    preset: options.preset,
    config: {
      vocabularySize: corpus.vocabulary.tokens.length,
      imageHeight,
      imageWidth,
      imageChannels,
      ...options.config,
    },
  });
  const model = instance.model;
  if (options.encoderFrom) {
    // The encoder's weights are the CNN's conv blocks under `encoder/`: the same kernels, whatever the image size.
    for (const [name, weight] of Object.entries(options.encoderFrom.weights)) model.weights[`encoder/${name}`]?.assign(weight);
  }
  const batches = captionTask(kit).trainingData(corpus, { batchSize: options.batchSize, dataset: options.label });
  const started = performance.now();
  const { history } = await train({
    model,
    data: batches.validation ? { train: batches.train, validation: batches.validation } : batches.train,
    epochs: options.epochs,
    optimizer: { name: 'adam', learningRate: options.learningRate },
    // Epoch decayAfter + 1 (counted from 0) is the first at half the rate.
    ...(options.decayAfter !== undefined && { callbacks: [stepDecay({ after: options.decayAfter + 1 })] }),
    clip: { norm: 5 },
    seed: options.seed,
    progress: kit.progress,
    label: options.label,
  });
  const seconds = (performance.now() - started) / 1000;
  const parameters = Object.entries(model.weights)
    .filter(([name]) => !model.frozen?.includes(name))
    .reduce((n, [, w]) => n + w.size, 0);
  return { instance, seconds, imagesPerSecond: (options.epochs * corpus.train.count) / seconds, parameters, history };
}

/**
 * conv1–conv3 (16-32-64 channels, `kernelSize` kernels: the captioner presets' encoder) trained as a digit classifier
 * on MNIST's training digits.
 */
export async function pretrainEncoder(kit: Kit, options: { trainLimit?: number; epochs: number; seed: number; kernelSize: number }) {
  const data = await kit.loadDataset<SupervisedData>('datasets/mnist', {
    ...(options.trainLimit !== undefined && { trainLimit: options.trainLimit }),
    testLimit: 2000,
  });
  const { model } = await kit.createModel<CnnFeatures>('cnn-features/cnn', {
    config: { kernelSize: options.kernelSize },
  });
  try {
    const started = performance.now();
    await train({
      model,
      data: data.train,
      epochs: options.epochs,
      batchSize: 64,
      optimizer: { name: 'adam', learningRate: 1e-3 },
      seed: options.seed,
      progress: kit.progress,
      label: 'encoder on MNIST digits',
    });
    const seconds = (performance.now() - started) / 1000;
    const { accuracy } = await evaluate(model, data.test!);
    return { model, accuracy: accuracy!, seconds, digits: data.train.xs.shape[0]! };
  } catch (error) {
    model.dispose?.();
    throw error;
  } finally {
    data.dispose();
  }
}

/** What the recipes report of a captioner's captions, with the captions and their attention. */
export interface CaptionerScores extends GeneratedOutputs {
  readonly exactMatch: number;
  /** Corpus BLEU-4, in [0, 1]. */
  readonly bleu: number;
  /** Edit distance over caption tokens / reference tokens: the character error rate of digit strings, the word error rate of captions in words. */
  readonly tokenErrorRate: number;
}

/** Exact match, BLEU-4 and token error rate of the captions of a split's images (greedy, or beam search), as its task scores them. */
export async function scoreCaptioner(
  kit: Kit,
  model: Captioner,
  corpus: ImageCaptionCorpus,
  split: SplitName = 'test',
  beam = 1,
): Promise<CaptionerScores> {
  const outputs: GeneratedOutputs = { outputs: [], attention: [] };
  const scores = await captionTask(kit).evaluate(model, corpus, split, { kit, beam, outputs });
  return { exactMatch: scores.exact_match!, bleu: scores.bleu!, tokenErrorRate: scores.token_error_rate!, ...outputs };
}

/**
 * Saves a trained captioner in `<folder>/model` with its vocabulary and dataset (what `nnkit caption` and `nnkit
 * eval` need), and the first test image as `<folder>/test-image-1.png`; returns the commands that try it.
 */
export async function saveCaptioner(
  folder: string,
  instance: ModelInstance<Captioner>,
  corpus: ImageCaptionCorpus,
  dataset: { readonly key: string; readonly options?: Readonly<Record<string, unknown>> },
) {
  const dir = join(folder, 'model');
  const model = await saveModel(dir, instance, {
    dataset,
    vocabulary: corpus.vocabulary.tokens,
    separator: corpus.separator,
  });
  const [height, width] = corpus.imageShape;
  const image = writeGreyPng(join(folder, 'test-image-1.png'), corpus.test.pixels.subarray(0, height * width), width, height);
  return {
    model,
    image,
    commands: [nnkitCommand('caption', dir, image), nnkitCommand('eval', dir, '--split', 'test')],
  };
}
