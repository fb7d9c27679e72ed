import * as tf from '@tensorflow/tfjs';
import { DataError, ConfigError, field, type BatchSource, type Examples, type Kit, type TaskDefinition } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import { train } from '@nnkit/train';
import { beforeAll, describe, expect, it } from 'vitest';
import tasksPlugin, { captionedImages, labelledImages, sequencePairs, speechTranscripts, tokenStreams } from './index.js';
import {
  bigramModel,
  captionCorpus,
  copyingTranslator,
  darkCaptioner,
  labelledData,
  linearClassifier,
  pairCorpus,
  speechCorpus,
  tokenCorpus,
} from './tiny.fixture.js';

let kit: Kit;
beforeAll(async () => {
  await tf.setBackend('cpu');
  kit = await createKit({ plugins: [tasksPlugin()], backend: 'cpu', progress: silentProgress() });
});

/** Runs `body`, then says whether it left tensors behind. */
async function leaves(body: () => Promise<void> | void): Promise<number> {
  const before = tf.memory().numTensors;
  await body();
  return tf.memory().numTensors - before;
}

function shapesOf(source: BatchSource, index = 0): Record<string, number[]> {
  const batch = source.batch(0, index, 7);
  const shapes = Object.fromEntries(Object.entries(batch).map(([name, t]) => [name, t.shape]));
  tf.dispose(Object.values(batch));
  return shapes;
}

describe('the tasks plugin', () => {
  it('registers the five kinds of data under tasks/', () => {
    expect(kit.registry.tasks.keys()).toEqual([
      'tasks/captioned-images',
      'tasks/labelled-images',
      'tasks/sequence-pairs',
      'tasks/speech-transcripts',
      'tasks/token-streams',
    ]);
    expect(kit.registry.kindOf('tasks/token-streams')).toBe('task');
  });

  it('accepts its own kind of data and refuses the others', async () => {
    const data = labelledData();
    const corpora: [TaskDefinition<never, never>, unknown][] = [
      [labelledImages as never, data],
      [tokenStreams as never, tokenCorpus()],
      [sequencePairs as never, pairCorpus()],
      [captionedImages as never, captionCorpus()],
      [speechTranscripts as never, speechCorpus()],
    ];
    for (const [task, own] of corpora) {
      for (const [, other] of corpora) expect(task.accepts(other)).toBe(other === own);
      expect(task.accepts(undefined)).toBe(false);
    }
    data.dispose();
  });

  it('knows which models it can call on', () => {
    const classifier = linearClassifier();
    const lm = bigramModel();
    expect(labelledImages.fits(classifier)).toBe(true);
    expect(tokenStreams.fits(lm)).toBe(true);
    expect(tokenStreams.fits(classifier)).toBe(false);
    expect(sequencePairs.fits(copyingTranslator())).toBe(true);
    expect(sequencePairs.fits(classifier)).toBe(false);
    expect(captionedImages.fits(darkCaptioner())).toBe(true);
    expect(captionedImages.fits(copyingTranslator())).toBe(false);
    classifier.dispose();
    lm.dispose();
  });
});

describe('config from the corpus', () => {
  const schema = {
    units: field.integer({ default: 8, description: 'units' }),
    vocabularySize: field.integer({ default: 10, description: 'vocabulary' }),
    sourceVocabularySize: field.integer({ default: 10, description: 'source vocabulary' }),
    imageHeight: field.integer({ default: 28, description: 'image height' }),
  };

  it('fills only the fields the model has, with what the corpus decides', () => {
    expect(tokenStreams.configFrom(tokenCorpus(), schema)).toEqual({ vocabularySize: 5 });
    expect(sequencePairs.configFrom(pairCorpus(), schema)).toEqual({ sourceVocabularySize: 7 });
    expect(captionedImages.configFrom(captionCorpus(), schema)).toEqual({ vocabularySize: 6, imageHeight: 4 });
    expect(labelledImages.configFrom({} as never, schema)).toEqual({});
  });

  it('refuses a config the corpus cannot fit, naming the corpus value', () => {
    const names = { model: 'm/m', dataset: 'data/d' };
    expect(() => tokenStreams.check!(tokenCorpus(), { vocabularySize: 5 }, names)).not.toThrow();
    expect(() => tokenStreams.check!(tokenCorpus(), { vocabularySize: 4 }, names)).toThrow(ConfigError);
    expect(() => sequencePairs.check!(pairCorpus(), { targetVocabularySize: 3 }, names)).toThrow(
      /targetVocabularySize ≥ 7 to fit data\/d, got targetVocabularySize 3/,
    );
    expect(() => captionedImages.check!(captionCorpus(), { imageHeight: 5, vocabularySize: 6 }, names)).toThrow(
      /imageHeight 4 to fit data\/d, got imageHeight 5 \(data\/d has 4 rows in its images\)/,
    );
  });
});

describe('training data', () => {
  it('labelled images: shuffled batches of inputs and targets, validation in order, the batch size recorded', async () => {
    const data = labelledData();
    const notes: string[] = [];
    expect(
      await leaves(() => {
        const training = labelledImages.trainingData(data, {
          batchSize: 3,
          dataset: 'toy',
          onNote: (line) => notes.push(line),
        });
        expect(shapesOf(training.train as BatchSource)).toEqual({ inputs: [3, 2, 2, 1], targets: [3, 3] });
        expect((training.train as BatchSource).batchesPerEpoch).toBe(3);
        expect(shapesOf(training.validation as BatchSource)).toEqual({ inputs: [4, 2, 2, 1], targets: [4, 3] });
        expect(training.settings).toEqual({ batchSize: 3 });
        expect(labelledImages.trainingData(data, { batchSize: 100, onNote: (line) => notes.push(line) }).settings).toEqual({
          batchSize: 8,
        });
      }),
    ).toBe(0);
    expect(notes).toEqual(['batch size 100 is more than the 8 examples to train on: using 8, one batch per epoch.']);
    data.dispose();
  });

  it('token streams: parallel streams with BPTT, freed by dispose; a validation perplexity line per epoch', async () => {
    expect(
      await leaves(() => {
        const training = tokenStreams.trainingData(tokenCorpus(), { batchSize: 4, bptt: { k1: 10, k2: 20 } });
        expect((training.train as Examples).xs.shape).toEqual([4, 99]);
        expect((training.validation as Examples).ys.shape).toEqual([32, 3]);
        expect(training.bptt).toEqual({ k1: 10, k2: 20 });
        expect(training.describeEpoch!(1, { val_loss: Math.log(3) })).toBe('epoch 1: validation perplexity 3.00');
        training.dispose!();
      }),
    ).toBe(0);
    expect(() => tokenStreams.trainingData(tokenCorpus(), { batchSize: 4 })).toThrow(/expects bptt/);
  });

  it('token streams: a caller that measures validation in its own number of streams keeps it', async () => {
    const options = { batchSize: 4, bptt: { k1: 10, k2: 20 }, validationStreams: 4 };
    const training = tokenStreams.trainingData(tokenCorpus(), options);
    expect((training.validation as Examples).xs.shape).toEqual([4, 24]); // 99 predicted tokens in 4 streams, not 32
    const started: number[] = [];
    const model = bigramModel();
    const counting = {
      ...model,
      initialState: (streams: number) => (started.push(streams), model.initialState(streams)),
    };
    await training.validationScores!(counting);
    expect(started).toEqual([4]);
    training.dispose!();
    model.dispose();
  });

  it('sequence pairs: padded, masked batches; a corpus without validation pairs trains without, and says so', async () => {
    const notes: string[] = [];
    const training = sequencePairs.trainingData(pairCorpus(0), {
      batchSize: 4,
      dataset: 'toy/pairs',
      onNote: (line) => notes.push(line),
    });
    const shapes = shapesOf(training.train as BatchSource);
    expect(Object.keys(shapes).sort()).toEqual(['source', 'sourceMask', 'targetInput', 'targetMask', 'targetOutput']);
    const source = training.train as BatchSource;
    const rows = Array.from({ length: source.batchesPerEpoch }, (_, index) => shapesOf(source, index).source![0]!);
    expect(rows.reduce((a, b) => a + b, 0)).toBe(10); // length-bucketed: every pair once, at most 4 a batch
    expect(Math.max(...rows)).toBeLessThanOrEqual(4);
    expect(shapes.targetInput).toEqual(shapes.targetOutput);
    expect(training.validation).toBeUndefined();
    expect(training.validationScores).toBeUndefined();
    expect(notes).toEqual(['toy/pairs has no validation pairs: training without validation loss or scores']);
    expect(() => sequencePairs.trainingData({ ...pairCorpus(), train: [] }, { batchSize: 4 })).toThrow(DataError);
  });

  it('captioned images: images with padded captions', async () => {
    const training = captionedImages.trainingData(captionCorpus(), { batchSize: 4 });
    expect(shapesOf(training.train as BatchSource)).toEqual({
      images: [4, 4, 4, 1],
      targetInput: [4, 2],
      targetOutput: [4, 2],
      targetMask: [4, 2],
    });
    expect(training.settings).toEqual({ batchSize: 4 });
    expect(() =>
      captionedImages.trainingData(
        { ...captionCorpus(), train: { count: 0, pixels: new Float32Array(0), captions: [] } },
        { batchSize: 4 },
      ),
    ).toThrow(DataError);
  });
});

describe('evaluation', () => {
  it('labelled images: loss and accuracy over a split, on the splits the data has', async () => {
    const data = labelledData();
    const model = linearClassifier();
    expect(labelledImages.splits(data)).toEqual(['train', 'validation']);
    expect(labelledImages.splitSize!(data, 'validation')).toEqual({ count: 4, unit: 'examples', field: 'examples' });
    let scores: Record<string, number> = {};
    expect(await leaves(async () => void (scores = await labelledImages.evaluate(model, data, 'validation', { kit, limit: 2 })))).toBe(0);
    expect(Object.keys(scores).sort()).toEqual(['accuracy', 'loss']);
    expect(scores.loss).toBeCloseTo(Math.log(3), 1); // near-uniform predictions
    expect(scores.accuracy).toBeGreaterThanOrEqual(0);
    model.dispose();
    data.dispose();
  });

  it('token streams: perplexity is exp(loss), bits per token loss / ln 2', async () => {
    const model = bigramModel();
    let scores: Record<string, number> = {};
    expect(await leaves(async () => void (scores = await tokenStreams.evaluate(model, tokenCorpus(), 'validation', { kit })))).toBe(0);
    expect(scores.loss).toBeCloseTo(Math.log(5), 5); // a table of zeros: uniform over five tokens
    expect(scores.perplexity).toBeCloseTo(5, 4);
    expect(scores.bits_per_token).toBeCloseTo(Math.log2(5), 4);
    expect(tokenStreams.splits(tokenCorpus())).toEqual(['train', 'validation']);
    model.dispose();
  });

  it('token streams: a split is read in 32 parallel streams unless the caller says how many', async () => {
    const started: number[] = [];
    const model = bigramModel();
    const counting = {
      ...model,
      initialState: (streams: number) => (started.push(streams), model.initialState(streams)),
    };
    await tokenStreams.evaluate(counting, tokenCorpus(), 'validation', { kit });
    await tokenStreams.evaluate(counting, tokenCorpus(), 'validation', { kit, streams: 4 });
    expect(started).toEqual([32, 4]);
    model.dispose();
  });

  it('sequence pairs: a translator that copies scores perfectly on a copy task', async () => {
    const scores = await sequencePairs.evaluate(copyingTranslator(), pairCorpus(), 'validation', { kit, beam: 2 });
    expect(scores).toEqual({ exact_match: 1, word_error_rate: 0, token_error_rate: 0, bleu: expect.any(Number) });
    expect(sequencePairs.splits(pairCorpus())).toEqual(['train', 'validation']); // no test pairs
    expect(sequencePairs.splitSize!(pairCorpus(), 'train')).toEqual({ count: 10, unit: 'sources', field: 'examples' });
    expect(sequencePairs.saveExtras!(pairCorpus()).vocabularies?.sourceSeparator).toBe('');
  });

  it('sequence pairs: the outputs and their attention go to a collector, in the split’s order, for callers that show them', async () => {
    const outputs = { outputs: [] as number[][], attention: [] as number[][][] };
    const corpus = pairCorpus(5);
    await sequencePairs.evaluate(copyingTranslator(), corpus, 'validation', { kit, outputs, limit: 4 });
    expect(outputs.outputs).toEqual(corpus.validation.slice(0, 4).map((e) => e.source));
    expect(outputs.attention).toEqual([[], [], [], []]); // a model without attention
  });

  it('captioned images: a captioner that always says dark is right on half', async () => {
    let scores: Record<string, number> = {};
    expect(
      await leaves(async () => void (scores = await captionedImages.evaluate(darkCaptioner(), captionCorpus(), 'validation', { kit }))),
    ).toBe(0);
    expect(scores.exact_match).toBe(0.5);
    expect(scores.token_error_rate).toBe(0.5);
    const training = captionedImages.trainingData(captionCorpus(), { batchSize: 2 });
    expect(await training.validationScores!(darkCaptioner())).toEqual({
      exact_match: 0.5,
      bleu: expect.any(Number),
      token_error_rate: 0.5,
    });
    const outputs = { outputs: [] as number[][], attention: [] as number[][][] };
    await captionedImages.evaluate(darkCaptioner(), captionCorpus(), 'test', { kit, beam: 1, outputs });
    expect(outputs.outputs).toEqual([[4], [4]]); // `dark` for both test images
    expect(captionedImages.saveExtras!(captionCorpus())).toEqual({
      vocabulary: ['<pad>', '<s>', '</s>', '<unk>', 'dark', 'light'],
      separator: ' ',
    });
  });
});

describe('the one training loop on a task', () => {
  /** The weights after two epochs of `train()` on `data`, as numbers. */
  async function trainedWeights(data: Parameters<typeof train>[0]['data'], extra: { batchSize?: number } = {}): Promise<number[]> {
    const model = linearClassifier();
    await train({ model, data, epochs: 2, seed: 11, optimizer: { name: 'adam', learningRate: 0.05 }, ...extra });
    const values = [...(await model.weights.kernel!.data()), ...(await model.weights.bias!.data())];
    model.dispose();
    return values;
  }

  it('labelled images: the same steps as train() batching the examples itself (what nnkit train did before tasks)', async () => {
    const data = labelledData();
    const before = await trainedWeights(data, { batchSize: 3 });
    const training = labelledImages.trainingData(data, { batchSize: 3 });
    const after = await trainedWeights({
      train: training.train,
      ...(training.validation && { validation: training.validation }),
    });
    expect(after).toEqual(before);
    data.dispose();
  });
});
