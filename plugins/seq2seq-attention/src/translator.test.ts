import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, UnknownNameError, type Kit } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import { beamSearch, greedyDecode } from '@nnkit/decoding';
import { expectClose } from '@nnkit/core/testing';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { loadModel, padPairs, saveModel } from '@nnkit/train';
import gru from 'nnkit-plugin-gru';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import seq2seq, { END, START, TRANSLATOR_PRESETS, type Translator } from './index.js';
import {
  ATTENTION_VARIANTS,
  DIGIT_VOCABULARY,
  digitPairs,
  paddedBatch,
  pairIds,
  tinyConfig,
  tinyTranslator,
} from './translator.fixture.js';

const sources = [
  [4, 5, 6, 7],
  [8, 9],
  [10, 11, 12, 13, 4, 5],
];
const vocabularies = { sourceVocabularySize: DIGIT_VOCABULARY, targetVocabularySize: DIGIT_VOCABULARY };

/** A few Adam steps on one batch; returns the mean loss per token before and after. */
async function fit(model: Translator, steps: number, learningRate = 0.05): Promise<[number, number]> {
  const batch = padPairs(digitPairs(16, 3), pairIds);
  const optimizer = tf.train.adam(learningRate);
  const meanLoss = () =>
    tf.tidy(() => {
      const { sum, weight } = model.loss(batch, { training: true, seed: 1 });
      return tf.div(sum, weight) as tf.Scalar;
    });
  const read = async () => {
    const loss = meanLoss();
    const [value] = await loss.data();
    loss.dispose();
    return value!;
  };
  const first = await read();
  for (let i = 0; i < steps; i++) optimizer.minimize(meanLoss, true)?.dispose();
  const last = await read();
  optimizer.dispose();
  tf.dispose(Object.values(batch));
  return [first, last];
}

describe('the translator', () => {
  // The fixture's translators ask this kit for their cells by name.
  let cells: Kit;
  beforeAll(async () => {
    cells = await createKit({ backend: 'cpu', progress: silentProgress(), plugins: [rnnLm(), lstm()] });
  });

  it('names its weights by part: source-embedding, encoder/<direction>/layer<l>/…, bridge, decoder, attention, output', () => {
    const model = tinyTranslator(cells, { encoderLayers: 2, decoderLayers: 2, attention: 'bahdanau' });
    expect(Object.keys(model.weights)).toEqual([
      'source-embedding',
      'encoder/forward/layer0/kernel',
      'encoder/forward/layer0/bias',
      'encoder/backward/layer0/kernel',
      'encoder/backward/layer0/bias',
      'encoder/forward/layer1/kernel',
      'encoder/forward/layer1/bias',
      'encoder/backward/layer1/kernel',
      'encoder/backward/layer1/bias',
      'bridge/layer0/kernel',
      'bridge/layer0/bias',
      'bridge/layer1/kernel',
      'bridge/layer1/bias',
      'target-embedding',
      'decoder/layer0/kernel',
      'decoder/layer0/bias',
      'decoder/layer1/kernel',
      'decoder/layer1/bias',
      'attention/query/kernel',
      'attention/key/kernel',
      'attention/key/bias',
      'attention/score/kernel',
      'attention/combine/context',
      'attention/combine/hidden',
      'output/kernel',
      'output/bias',
    ]);
    // Bahdanau's context (2 × 8) reaches the first decoder cell through the cell's contextSize: 8 + 6 + 16 rows.
    expect(model.weights['decoder/layer0/kernel']!.shape).toEqual([8 + 6 + 16, 32]);
    // Each decoder layer starts from the same encoder layer's final h and c, both directions: 4 × 8 → h and c.
    expect(model.weights['bridge/layer1/kernel']!.shape).toEqual([32, 16]);
    model.dispose();
  });

  it('refuses what cannot work, saying how to fix it, and leaves no variable behind', () => {
    const before = tf.memory().numTensors;
    expect(() => tinyTranslator(cells, { attention: 'luong-dot', bidirectional: true })).toThrow(
      /units to equal the size of an encoder output, got units 8 and encoder outputs of 16 \(bidirectional: 2 × units\)\. Use attention 'luong-general'/,
    );
    expect(() => tinyTranslator(cells, { attention: 'bahdanau', inputFeeding: true })).toThrow(ConfigError);
    expect(() => tinyTranslator(cells, { attention: 'none', inputFeeding: true })).toThrow(/set inputFeeding false/);
    expect(tf.memory().numTensors).toBe(before);
    const model = tinyTranslator(cells);
    const batch = paddedBatch();
    expect(() => model.loss({ source: batch.source, sourceMask: batch.sourceMask }, { training: false })).toThrow(
      /expects a batch with 'source', 'sourceMask', 'targetInput', 'targetOutput', 'targetMask'/,
    );
    expect(() => model.initialState({ source: batch.source, sourceMask: batch.targetMask })).toThrow(/sourceMask of the source's shape/);
    tf.dispose(Object.values(batch));
    model.dispose();
  });

  it('with teacherForcing < 1 reads its own argmax at some steps while training, the same for the same seed, and never in evaluation', async () => {
    const forced = tinyTranslator(cells, { dropout: 0.1 });
    const mixed = tinyTranslator(cells, { dropout: 0.1, teacherForcing: 0.3 }); // the same weights: seeds are derived by name
    const batch = padPairs(digitPairs(12, 5), pairIds);
    const loss = async (model: Translator, training: boolean, seed: number) => {
      const { sum } = model.loss(batch, { training, seed });
      const [value] = await sum.data();
      sum.dispose();
      return value!;
    };
    expect(await loss(mixed, false, 1)).toBe(await loss(forced, false, 1));
    expect(await loss(mixed, true, 4)).toBe(await loss(mixed, true, 4));
    expect(await loss(mixed, true, 4)).not.toBe(await loss(forced, true, 4));
    expect(await loss(mixed, true, 4)).not.toBe(await loss(mixed, true, 5));
    tf.dispose(Object.values(batch));
    forced.dispose();
    mixed.dispose();
  });

  it('leaves tf.memory() as it found it: a training step (dropout, scheduled sampling), decoding, beam search', async () => {
    for (const overrides of [
      { dropout: 0.2, teacherForcing: 0.5 },
      { attention: 'luong-general' as const, inputFeeding: true, dropout: 0.2 },
      { attention: 'none' as const },
    ]) {
      const model = tinyTranslator(cells, overrides);
      const batch = paddedBatch();
      const optimizer = tf.train.adam(0.01);
      const step = (seed: number) =>
        optimizer
          .minimize(() => {
            const { sum, weight } = model.loss(batch, { training: true, seed });
            return tf.div(sum, weight) as tf.Scalar;
          }, true)
          ?.dispose();
      step(0); // Adam makes its moments on the first step
      const before = tf.memory().numTensors;
      step(1);
      expect(tf.memory().numTensors).toBe(before);
      const metrics = model.metrics(batch);
      tf.dispose([metrics.accuracy!.sum, metrics.accuracy!.weight as tf.Scalar]);
      await model.translate(sources, { maxLength: 6 });
      await model.translate(sources, { beam: 3, maxLength: 6 });
      expect(tf.memory().numTensors).toBe(before);
      optimizer.dispose();
      tf.dispose(Object.values(batch));
      model.dispose();
    }
  });

  for (const [variant, overrides] of Object.entries({ ...ATTENTION_VARIANTS, none: { attention: 'none' as const } })) {
    it(`${variant}: beam search of width 1 is greedy decoding (tokens and log-probability)`, async () => {
      const model = tinyTranslator(cells, overrides, 11);
      await fit(model, 5); // a little trained, so that some rows end before maxLength
      const greedy = await model.translate(sources, { maxLength: 9 });
      const beam = await model.translate(sources, { beam: 1, maxLength: 9 });
      expect(beam.tokens).toEqual(greedy.tokens);
      expectClose(beam.logProbability, greedy.logProbability, { atol: 1e-5 });
      // The same through core's functions directly, from one state.
      const batch = paddedBatch(sources.map((source) => ({ source, target: [4] })));
      const state = model.initialState({ source: batch.source, sourceMask: batch.sourceMask });
      const options = { start: START, endToken: END, maxLength: 9 };
      const fromGreedy = await greedyDecode(model, state, options);
      const fromBeam = await beamSearch(model, state, { ...options, beamWidth: 1 });
      expect(fromBeam.map((row) => row[0]!.tokens)).toEqual(fromGreedy.tokens);
      expectClose(
        fromBeam.map((row) => row[0]!.logProbability),
        fromGreedy.logProbability,
        { atol: 1e-5 },
      );
      if (overrides.attention === 'none') expect(greedy.attention).toEqual([[], [], []]);
      else {
        // Per produced token, the weights over that source's own positions: the batch's padding is cut off.
        greedy.attention.forEach((row, b) => {
          expect(row).toHaveLength(greedy.tokens[b]!.length);
          for (const weights of row) {
            expect(weights).toHaveLength(sources[b]!.length);
            expect(weights.reduce((a, w) => a + w, 0)).toBeCloseTo(1, 5);
          }
        });
        expect(beam.attention).toEqual(greedy.attention);
      }
      tf.dispose([...state, ...Object.values(batch)]);
      model.dispose();
    });
  }

  describe('through the kit', () => {
    let kit: Kit;
    let dir: string;
    beforeAll(async () => {
      kit = await createKit({
        backend: 'cpu',
        progress: silentProgress(),
        seed: 3,
        plugins: [seq2seq(), gru({ withParity: false }), rnnLm(), lstm()],
      });
      dir = mkdtempSync(join(tmpdir(), 'nnkit-seq2seq-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("takes the GRU fixture's cell by name (gru/gru) in the encoder and the decoder, and mixes cells", async () => {
      const { model } = await kit.createModel<Translator>('seq2seq/translator', {
        config: tinyConfig({ cell: 'gru/gru' }),
      });
      expect(Object.keys(model.weights)).toEqual(
        expect.arrayContaining(['encoder/forward/layer0/recurrent', 'encoder/backward/layer0/recurrent', 'decoder/layer0/recurrent']),
      );
      const [first, last] = await fit(model, 15);
      expect(last).toBeLessThan(first);
      expect((await model.translate(sources, { beam: 2, maxLength: 5 })).tokens).toHaveLength(3);
      model.dispose();

      // A GRU encoder (one state component per direction) starts an LSTM decoder (h and c) through the bridge.
      const { model: mixed } = await kit.createModel<Translator>('seq2seq/translator', {
        config: tinyConfig({
          encoderCell: 'gru/gru',
          decoderCell: 'lstm/lstm',
          attention: 'luong-general',
          inputFeeding: true,
        }),
      });
      expect(mixed.weights['bridge/layer0/kernel']!.shape).toEqual([16, 16]);
      const [mixedFirst, mixedLast] = await fit(mixed, 15);
      expect(mixedLast).toBeLessThan(mixedFirst);
      mixed.dispose();
    });

    it('fills defaults, builds every preset, and refuses a config without vocabulary sizes or with an unknown cell', async () => {
      const { config, model } = await kit.createModel<Translator>('seq2seq/translator', { config: vocabularies });
      expect(config).toMatchObject({
        cell: 'lstm/lstm',
        attention: 'bahdanau',
        bidirectional: true,
        teacherForcing: 1,
      });
      model.dispose();
      for (const preset of Object.keys(TRANSLATOR_PRESETS)) {
        const { model: made } = await kit.createModel<Translator>('seq2seq/translator', {
          preset,
          config: { ...vocabularies, units: 4, embedding: 3 },
        });
        const { tokens } = await made.translate([[4, 5]], { maxLength: 2 });
        expect(tokens[0]!.length, preset).toBeLessThanOrEqual(2);
        made.dispose();
      }
      expect(Object.keys(TRANSLATOR_PRESETS)).toEqual(['bahdanau', 'luong', 'bottleneck', 'g2p', 'dates']);
      await expect(kit.createModel('seq2seq/translator', {})).rejects.toThrow(/sourceVocabularySize/);
      const before = tf.memory().numTensors;
      await expect(kit.createModel('seq2seq/translator', { config: { ...vocabularies, cell: 'gru/gruu' } })).rejects.toThrow(
        UnknownNameError,
      );
      // The decoder's cells are made first; an unknown encoder cell frees them again.
      await expect(kit.createModel('seq2seq/translator', { config: { ...vocabularies, encoderCell: 'gru/gruu' } })).rejects.toThrow(
        /Did you mean 'gru\/gru'/,
      );
      expect(tf.memory().numTensors).toBe(before);
    });

    it('saves and loads by weight name: the loaded model translates the same', async () => {
      const instance = await kit.createModel<Translator>('seq2seq/translator', {
        preset: 'dates',
        config: { ...vocabularies, units: 6, embedding: 4 },
      });
      await fit(instance.model, 3);
      const before = await instance.model.translate(sources, { beam: 2 });
      await saveModel(dir, instance);
      const { instance: loaded } = await loadModel<Translator>(kit, dir);
      expect(await loaded.model.translate(sources, { beam: 2 })).toEqual(before);
      instance.model.dispose();
      loaded.model.dispose();
    });
  });
});
