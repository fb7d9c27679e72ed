import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, type CellOptions } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import { expectClose } from '@nnkit/core/testing';
import { evaluateStream, toStreams, train } from '@nnkit/train';
import { beforeAll, describe, expect, it } from 'vitest';
import rnnLm, { createLanguageModel, createSimpleRnnCell, sample, type LanguageModelConfig } from './index.js';

const seed = (label: string) => label.length * 7919;
const config = (overrides: Partial<LanguageModelConfig> = {}): LanguageModelConfig => ({
  vocabularySize: 5,
  cell: 'rnn-lm/simple',
  units: 8,
  layers: 2,
  embedding: 4,
  dropout: 0,
  tieWeights: false,
  ...overrides,
});
const simple = (options: CellOptions) => createSimpleRnnCell(options);
const ids = (rows: number[][]) => tf.tensor2d(rows, undefined, 'int32');

describe('the language model', () => {
  beforeAll(() => tf.setBackend('cpu'));

  it('carries its state across windows: two windows give the loss of the whole sequence', async () => {
    const model = createLanguageModel(config(), simple, seed);
    const xs = ids([
      [1, 2, 3, 4, 0, 1],
      [4, 3, 2, 1, 0, 2],
    ]);
    const ys = ids([
      [2, 3, 4, 0, 1, 3],
      [3, 2, 1, 0, 2, 4],
    ]);
    const before = tf.memory().numTensors;
    const whole = tf.tidy(() => {
      const { loss } = model.runWindow({ inputs: xs, targets: ys }, model.initialState(2), {
        lossSteps: 6,
        training: false,
      });
      expect(loss.weight).toBe(12); // tokens
      return tf.div(loss.sum, loss.weight);
    });
    const inTwo = tf.tidy(() => {
      const half = (t: tf.Tensor, start: number) => t.slice([0, start], [2, 3]);
      const first = model.runWindow({ inputs: half(xs, 0), targets: half(ys, 0) }, model.initialState(2), {
        lossSteps: 3,
        training: false,
      });
      const second = model.runWindow({ inputs: half(xs, 3), targets: half(ys, 3) }, first.states.at(-1)!, {
        lossSteps: 3,
        training: false,
      });
      return tf.div(tf.add(first.loss.sum, second.loss.sum), 12);
    });
    expectClose(await inTwo.data(), await whole.data(), { rtol: 1e-5 });
    tf.dispose([whole, inTwo]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([xs, ys]);
    model.dispose!();
  });

  it('steps token by token to the same distributions as predict, which sum to one', async () => {
    const model = createLanguageModel(config({ embedding: 0, layers: 1 }), simple, seed);
    const xs = ids([[1, 2, 3, 4]]);
    const predicted = model.predict(xs);
    expect(predicted.shape).toEqual([1, 4, 5]);
    expectClose(await tf.sum(predicted, -1).data(), [1, 1, 1, 1], { atol: 1e-5 });
    const stepped = tf.tidy(() => {
      let state = model.initialState(1);
      return tf.stack(
        [1, 2, 3, 4].map((id) => {
          const next = model.step(tf.tensor1d([id], 'int32'), state);
          state = next.state;
          return tf.softmax(next.logits);
        }),
        1,
      );
    });
    expectClose(await stepped.data(), await predicted.data(), { atol: 1e-6 });
    tf.dispose([xs, predicted, stepped]);
    model.dispose!();
  });

  it('ties the output layer to the embedding, and refuses to tie when their sizes differ', () => {
    const untied = createLanguageModel(config({ embedding: 8 }), simple, seed);
    const tied = createLanguageModel(config({ embedding: 8, tieWeights: true }), simple, seed);
    const layers = ['layer0/input', 'layer0/recurrent', 'layer0/bias', 'layer1/input', 'layer1/recurrent', 'layer1/bias'];
    expect(Object.keys(untied.weights)).toEqual(['embedding', ...layers, 'output/kernel', 'output/bias']);
    expect(Object.keys(tied.weights)).toEqual(['embedding', ...layers, 'output/bias']);
    expect(() => createLanguageModel(config({ embedding: 4, tieWeights: true }), simple, seed)).toThrow(ConfigError);
    expect(() => tied.predict(tf.zeros([3]))).toThrow(ShapeError);
    untied.dispose!();
    tied.dispose!();
  });

  it('samples: greedy at temperature 0, reproducible with a seed, never an excluded token, no tensor left', async () => {
    const model = createLanguageModel(config(), simple, seed);
    const before = tf.memory().numTensors;
    const greedy = await sample(model, { prompt: [1], length: 5, temperature: 0 });
    const likeliest = tf.tidy(() => tf.argMax(model.predict(ids([[1, ...greedy.slice(0, 4)]])), -1));
    expect(Array.from(likeliest.dataSync())).toEqual(greedy);
    likeliest.dispose();
    const hot = await sample(model, { prompt: [1, 2], length: 50, temperature: 2, seed: 3, exclude: [0] });
    expect(await sample(model, { prompt: [1, 2], length: 50, temperature: 2, seed: 3, exclude: [0] })).toEqual(hot);
    expect(hot).not.toContain(0);
    expect(new Set(hot).size).toBeGreaterThan(2);
    expect(tf.memory().numTensors).toBe(before);
    await expect(sample(model, { prompt: [], length: 1 })).rejects.toThrow(ConfigError);
    model.dispose!();
  });

  it('learns a stream with truncated BPTT and dropout: its perplexity falls far below the vocabulary size', async () => {
    // A repeating sentence over 5 tokens: after one pass the next token is nearly certain.
    const text = Array.from({ length: 2000 }, (_, i) => [1, 2, 3, 1, 4, 2, 0, 3][i % 8]!);
    const data = toStreams(text, 10);
    const model = createLanguageModel(config({ dropout: 0.1 }), simple, seed);
    const before = tf.memory().numTensors;
    const untrained = Math.exp(await evaluateStream(model, data, 20));
    await train({
      model,
      data,
      bptt: { k1: 10, k2: 20 },
      epochs: 3,
      optimizer: { name: 'adam', learningRate: 1e-2 },
      clip: { norm: 5 },
    });
    const trained = Math.exp(await evaluateStream(model, data, 20));
    expect(untrained).toBeGreaterThan(4);
    expect(trained).toBeLessThan(1.3);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([data.xs, data.ys]);
    model.dispose!();
  });

  it('is registered as rnn-lm/lm, with the vocabulary size required', async () => {
    const kit = await createKit({ plugins: [rnnLm()], backend: 'cpu', progress: silentProgress() });
    await expect(kit.createModel('rnn-lm/lm')).rejects.toThrow(/vocabularySize/);
    const { model } = await kit.createModel<ReturnType<typeof createLanguageModel>>('rnn-lm/lm', {
      preset: 'mikolov',
      config: { vocabularySize: 30, units: 16 },
    });
    expect(model.config).toMatchObject({ cell: 'rnn-lm/simple', embedding: 0, layers: 1, vocabularySize: 30 });
    model.dispose!();
  });
});

describe('toStreams', () => {
  it('cuts a sequence into contiguous rows with next-token targets, and refuses too many streams', async () => {
    const { xs, ys } = toStreams([0, 1, 2, 3, 4, 5, 6], 2);
    expect(await xs.array()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(await ys.array()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    tf.dispose([xs, ys]);
    expect(() => toStreams([1, 2], 2)).toThrow(ShapeError);
  });
});
