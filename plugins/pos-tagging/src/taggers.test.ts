import * as tf from '@tensorflow/tfjs';
import { createKit, silentProgress } from '@nnkit/kit';
import type { Batch, BatchSource, Kit } from '@nnkit/core';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { expectNoLeaks } from '@nnkit/testing';
import { train } from '@nnkit/train';
import { beforeAll, describe, expect, it } from 'vitest';
import posTagging from './index.js';
import { padSentences, sentenceBatches } from './batches.js';
import type { TaggedSentenceCorpus } from './corpus.js';
import { encodeCorpus } from './encoded-corpus.js';
import { logJoint } from './hmm.js';
import type { HmmTagger } from './hmm-model.js';
import type { RecurrentTagger } from './recurrent-tagger.js';
import { scoreTagger, taggedSentences } from './tagged-sentences.js';

const TAGS = ['DT', 'NN', 'VBD', 'IN', '.'];
const sentence = (text: string, tags: string) => ({ words: text.split(' '), tags: tags.split(' ') });
/** A toy corpus whose tags follow from the words and their order. */
const CORPUS: TaggedSentenceCorpus = {
  kind: 'tagged-sentences',
  tagSet: TAGS,
  train: [
    sentence('the whale swam .', 'DT NN VBD .'),
    sentence('the ship sailed in the sea .', 'DT NN VBD IN DT NN .'),
    sentence('a whale sailed .', 'DT NN VBD .'),
    sentence('the sea rose .', 'DT NN VBD .'),
    sentence('a ship swam in a sea .', 'DT NN VBD IN DT NN .'),
  ],
  validation: [sentence('the whale rose .', 'DT NN VBD .')],
  test: [sentence('a ship rose in the sea .', 'DT NN VBD IN DT NN .')],
};

let kit: Kit;
beforeAll(async () => {
  kit = await createKit({ plugins: [rnnLm(), lstm(), posTagging()], backend: 'cpu', seed: 3, progress: silentProgress() });
});

const config = () => encodeCorpus(CORPUS) && taggedSentences.configFrom(CORPUS, { vocabularySize: {}, tags: {} } as never);

async function lossOf(
  tagger: { loss(batch: Batch, options: { training: boolean }): { sum: tf.Scalar; weight: tf.Scalar | number } },
  batch: Batch,
): Promise<[number, number]> {
  const { sum, weight } = tagger.loss(batch, { training: false });
  const values: [number, number] = [(await sum.data())[0]!, typeof weight === 'number' ? weight : (await weight.data())[0]!];
  tf.dispose([sum, ...(typeof weight === 'number' ? [] : [weight])]);
  return values;
}

/** `batch` with `extra` more padded steps at its end, full of junk ids that the mask must hide. */
function padMore(batch: Batch, extra: number): Batch {
  const [rows] = batch.tokens!.shape;
  const junk = (dtype: 'int32' | 'float32', value: number) => tf.fill([rows!, extra], value, dtype);
  return {
    tokens: tf.concat([batch.tokens!, junk('int32', 3)], 1),
    tags: tf.concat([batch.tags!, junk('int32', 2)], 1),
    mask: tf.concat([batch.mask!, junk('float32', 0)], 1),
  };
}

describe('the recurrent tagger', () => {
  it.each([
    ['rnn-lm/simple', false],
    ['lstm/lstm', true],
  ])('over %s (bidirectional: %s): padding changes neither the loss nor its weight', async (cell, bidirectional) => {
    const { model } = await kit.createModel<RecurrentTagger>('pos/rnn-tagger', {
      preset: 'tiny',
      config: { ...config(), cell, bidirectional },
    });
    const { train: sentences } = encodeCorpus(CORPUS);
    const batch = padSentences(sentences);
    const padded = padMore(batch, 4);
    const [sum, weight] = await lossOf(model, batch);
    const [paddedSum, paddedWeight] = await lossOf(model, padded);
    expect(weight).toBe(sentences.reduce((n, s) => n + s.tokens.length, 0));
    expect(paddedWeight).toBe(weight);
    expect(paddedSum).toBeCloseTo(sum, 4);
    // The shortest sentence alone scores as it does beside longer ones (its own padding in the batch).
    const alone = padSentences([sentences[0]!]);
    const [aloneSum] = await lossOf(model, alone);
    const perRow = await lossOf(model, padSentences([sentences[0]!, sentences[1]!]));
    const [otherSum] = await lossOf(model, padSentences([sentences[1]!]));
    expect(perRow[0]).toBeCloseTo(aloneSum + otherSum, 4);
    const states = model.states(batch.tokens as tf.Tensor2D, batch.mask as tf.Tensor2D);
    expect(states.shape).toEqual([5, 7, bidirectional ? 16 : 8]);
    tf.dispose([states, ...Object.values(batch), ...Object.values(padded), ...Object.values(alone)]);
    model.dispose!();
  });

  it('leaves tf.memory().numTensors unchanged over a training step, tagging and scoring, and learns the toy corpus', async () => {
    const { model } = await kit.createModel<RecurrentTagger>('pos/rnn-tagger', {
      preset: 'tiny',
      config: { ...config(), cell: 'lstm/lstm', bidirectional: true },
    });
    const { train: sentences, test, vocabulary } = encodeCorpus(CORPUS);
    const optimizer = tf.train.adam(0.05);
    const step = () => {
      const batch = padSentences(sentences);
      const cost = optimizer.minimize(() => {
        const { sum, weight } = model.loss(batch, { training: true, seed: 1 });
        return tf.div(sum, weight) as tf.Scalar;
      }, true);
      tf.dispose([cost!, ...Object.values(batch)]);
    };
    step(); // the first step makes Adam's moments, which live as long as the optimizer
    await expectNoLeaks(step, 'a training step of pos/rnn-tagger');
    for (let i = 0; i < 40; i++) step();
    const scores = await expectNoLeaks(() => scoreTagger(model, test, vocabulary), 'scoring pos/rnn-tagger');
    expect(scores.accuracy).toBe(1);
    const tagged = model.tag(padSentences(test).tokens as tf.Tensor2D, padSentences(test).mask as tf.Tensor2D);
    tagged.dispose();
    optimizer.dispose();
    model.dispose!();
  });

  it('says what a batch lacks', async () => {
    const { model } = await kit.createModel<RecurrentTagger>('pos/rnn-tagger', { preset: 'tiny', config: config() });
    expect(() => model.loss({ tokens: tf.zeros([1, 2], 'int32') }, { training: false })).toThrow(
      /pos\/rnn-tagger expects a batch with tokens, tags and mask, each \(batch, time\), got tokens/,
    );
    model.dispose!();
  });
});

describe('the HMM tagger', () => {
  it('fitted by counting, its loss is the negative log joint likelihood per word, and it tags by Viterbi', async () => {
    const { model } = await kit.createModel<HmmTagger>('pos/hmm', { config: config() });
    const { train: sentences, test, vocabulary } = encodeCorpus(CORPUS);
    model.fit(sentences);
    const hmm = model.hmm();
    const batch = padSentences(sentences);
    const [sum, weight] = await lossOf(model, batch);
    const joint = sentences.reduce((total, s) => total + logJoint(hmm, s.tokens, s.tags), 0);
    expect(weight).toBe(26);
    expect(sum).toBeCloseTo(-joint, 2);
    const scores = await expectNoLeaks(() => scoreTagger(model, test, vocabulary), 'scoring pos/hmm');
    expect(scores.accuracy).toBe(1);
    tf.dispose(Object.values(batch));
    model.dispose!();
  });

  it('also trains through the one training loop, by gradient descent on the same loss', async () => {
    const { model } = await kit.createModel<HmmTagger>('pos/hmm', { config: config() });
    const data = taggedSentences.trainingData(CORPUS, { batchSize: 8 });
    const source = data.train as BatchSource;
    const before = (await lossOf(model, source.batch(0, 0, 0)))[0]!;
    await train({
      model,
      data: source,
      steps: 30,
      optimizer: { name: 'adam', learningRate: 0.1 },
      progress: silentProgress(),
    });
    const after = (await lossOf(model, source.batch(0, 0, 0)))[0]!;
    expect(after).toBeLessThan(before / 2);
    expect((await taggedSentences.evaluate(model, CORPUS, 'test', { kit })).accuracy).toBe(1);
    model.dispose!();
  });
});

describe('the task pos/tagged-sentences', () => {
  it('takes the vocabulary and the tag set from the corpus, batches with a mask, and refuses a config that cannot fit', () => {
    const filled = config();
    const { vocabulary } = encodeCorpus(CORPUS);
    expect(filled).toEqual({ vocabularySize: vocabulary.tokens.length, tags: 5 });
    expect(vocabulary.tokens[0]).toBe('<pad>');
    expect(() => taggedSentences.check!(CORPUS, { tags: 4 }, { model: 'pos/hmm', dataset: 'toy' })).toThrow(/expects tags = 5 .*got 4/);
    const source = sentenceBatches(encodeCorpus(CORPUS).train, { batchSize: 2, shuffle: true });
    expect(source.batchesPerEpoch).toBe(3);
    const batch = source.batch(0, 0, 1);
    expect(batch.mask!.shape).toEqual(batch.tokens!.shape);
    tf.dispose(Object.values(batch));
    expect(taggedSentences.accepts({ kind: 'tagged-sentences', tagSet: [], train: [] })).toBe(true);
    expect(taggedSentences.accepts({ kind: 'sequence-pairs' })).toBe(false);
  });
});
