import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  useBackend,
  type BackendName,
  type Batch,
  type Kit,
  type ModelInstance,
  type SequencePairCorpus,
  type SupervisedData,
  type TokenCorpus,
  type TrainableModel,
} from '@nnkit/core';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { loadModel, pairsOf, saveModel, sequencePairBatches, toStreams, train, type TrainOptions } from '@nnkit/train';
import { beforeAll, describe, expect, it } from 'vitest';
import { conformanceKit, type PluginList } from './kit.js';
import { expectNoLeaks, weightValues } from './leaks.js';
import { weightGradientMismatches, type WeightGradientOptions } from './weight-gradients.js';

export interface ModelConformanceOptions {
  /** The plugin that registers the model, and any it depends on (its cells' plugins, its datasets'). */
  readonly plugins: PluginList;
  /** Config given to every instance, over the defaults and presets: required fields, smaller sizes for speed. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Presets to make (default: every preset the model declares). */
  readonly presets?: readonly string[];
  /** The dataset to train on and its options (default: the model's `training.dataset` and `datasetOptions`). */
  readonly dataset?: string;
  readonly datasetOptions?: Readonly<Record<string, unknown>>;
  /** Backends for the training step (default: every available one; cpu and wasm must be there). */
  readonly backends?: readonly BackendName[];
  /** Examples (or pairs, or streams) per batch in the training step (default 4). */
  readonly batchSize?: number;
  /** The weight-gradient check's step and tolerances (default ε 1e-3, rtol 5e-2, atol 1e-3, jitter 0.05, float32). */
  readonly gradients?: WeightGradientOptions;
}

const DEFAULT_BACKENDS: readonly BackendName[] = ['cpu', 'wasm', 'webgpu', 'tensorflow'];

/** What the suite trains on, made from the model's dataset: the data for `train`, its options, and one batch. */
interface Setup {
  readonly config: Record<string, unknown>;
  readonly data: TrainOptions['data'];
  readonly trainOptions: Partial<TrainOptions>;
  readonly batch: Batch;
  dispose(): void;
}

function isPairs(data: unknown): data is SequencePairCorpus {
  return (data as SequencePairCorpus)?.kind === 'sequence-pairs';
}

function isTokens(data: unknown): data is TokenCorpus {
  return (data as TokenCorpus)?.train instanceof Int32Array;
}

/**
 * A few batches of the model's own dataset: examples (`{ inputs, targets }`), sequence pairs (padded and masked by
 * `sequencePairBatches`) or token streams (truncated BPTT, as `nnkit train` runs a language model). Vocabulary sizes
 * the model's config asks for are filled from the corpus, as `nnkit train` does.
 */
async function setUp(kit: Kit, key: string, options: ModelConformanceOptions): Promise<Setup> {
  const definition = kit.registry.models.get(key);
  const training = definition.training ?? {};
  const datasetKey = options.dataset ?? training.dataset;
  if (!datasetKey) {
    throw new Error(`testModel('${key}') expects a dataset to train on: the model names none in training.dataset. Pass { dataset: '<namespace>/<name>', datasetOptions } to testModel.`);
  }
  const loaded = await kit.loadDataset<unknown>(datasetKey, options.datasetOptions ?? (datasetKey === training.dataset ? training.datasetOptions : undefined) ?? {});
  const batchSize = options.batchSize ?? 4;
  const has = (field: string) => field in definition.config;
  if (isPairs(loaded)) {
    const config = {
      ...(has('sourceVocabularySize') && { sourceVocabularySize: loaded.sourceVocabulary.tokens.length }),
      ...(has('targetVocabularySize') && { targetVocabularySize: loaded.targetVocabulary.tokens.length }),
    };
    const ends = { startId: loaded.targetVocabulary.id('<s>'), endId: loaded.targetVocabulary.id('</s>') };
    const source = sequencePairBatches(pairsOf(loaded.train).slice(0, 2 * batchSize), { batchSize, ...ends });
    return { config, data: source, trainOptions: { steps: 2 }, batch: source.batch(0, 0, 1), dispose: () => undefined };
  }
  if (isTokens(loaded)) {
    const { k1, k2 } = training.bptt ?? { k1: 5, k2: 5 };
    const [window, streams] = [Math.min(k1, 5), Math.min(training.bptt?.streams ?? batchSize, batchSize)];
    const data = toStreams(loaded.train.subarray(0, streams * 2 * window + 1), streams); // two windows per stream
    const batch = { inputs: tf.slice(data.xs, [0, 0], [streams, window]), targets: tf.slice(data.ys, [0, 0], [streams, window]) };
    return {
      config: has('vocabularySize') ? { vocabularySize: loaded.vocabulary.tokens.length } : {},
      data,
      trainOptions: { bptt: { k1: window, k2: Math.min(k2, window) }, epochs: 1 },
      batch,
      dispose: () => tf.dispose([data.xs, data.ys, ...Object.values(batch)]),
    };
  }
  const supervised = loaded as SupervisedData;
  if (!supervised?.train?.xs || !supervised.train.ys) {
    throw new Error(`testModel('${key}') expects dataset '${datasetKey}' to load examples ({ train: { xs, ys } }), sequence pairs or a token corpus, got ${Object.keys(loaded ?? {}).join(', ') || typeof loaded}.`);
  }
  const n = Math.min(2 * batchSize, supervised.train.xs.shape[0]!);
  const xs = tf.slice(supervised.train.xs, 0, n);
  const ys = tf.slice(supervised.train.ys, 0, n);
  const batch = { inputs: tf.slice(xs, 0, Math.min(batchSize, n)), targets: tf.slice(ys, 0, Math.min(batchSize, n)) };
  supervised.dispose();
  return { config: {}, data: { xs, ys }, trainOptions: { steps: 2, batchSize }, batch, dispose: () => tf.dispose([xs, ys, ...Object.values(batch)]) };
}

/** A copy of every tensor of `batch`, to hand a model that must not dispose them. */
function cloneBatch(batch: Batch): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(batch).map(([name, t]) => [name, tf.clone(t as tf.Tensor)]));
}

async function create(kit: Kit, key: string, config: Record<string, unknown>, preset?: string): Promise<ModelInstance<TrainableModel>> {
  return kit.createModel<TrainableModel>(key, { ...(preset !== undefined && { preset }), config });
}

/** The model's loss on `batch` (not training) and, where it has `predict` and the batch has `inputs`, its predictions. */
async function outputs(model: TrainableModel, batch: Batch): Promise<{ loss: number; predictions?: Float32Array }> {
  const { sum } = model.loss(batch, { training: false });
  const [loss] = await sum.data();
  sum.dispose();
  if (!model.predict || !batch.inputs) return { loss: loss! };
  const p = model.predict(batch.inputs);
  const predictions = (await p.data()) as Float32Array;
  p.dispose();
  return { loss: loss!, predictions };
}

/**
 * Checks a registered model against nnkit's model contract, in one line of a test file:
 *
 * ```ts
 * testModel('gru/parity', { plugins: [gru()] });
 * ```
 *
 * What it checks: the model is made from its defaults and from each preset, with its weights as named variables, and
 * `dispose()` frees them; on every backend, training steps on its own dataset (through `@nnkit/train`, as `nnkit
 * train` runs it) change its weights and leave `tf.memory()` where they found it; the same seed gives the same
 * weights; and a model saved and loaded back gives the same loss and predictions.
 */
export function testModel(key: string, options: ModelConformanceOptions): void {
  let kit: Kit;

  describe(`model ${key}: nnkit conformance`, () => {
    beforeAll(async () => {
      kit = await conformanceKit(options.plugins);
    });

    describe('making, seeding, saving', () => {
      let setup: Setup;
      beforeAll(async () => {
        await useBackend('cpu');
        setup = await setUp(kit, key, options);
      });
      const configOf = () => ({ ...setup.config, ...options.config });

      it('is made from its defaults and from each preset, its weights named variables that dispose() frees', async () => {
        const presets = options.presets ?? Object.keys(kit.registry.models.get(key).presets ?? {});
        for (const preset of [undefined, ...presets]) {
          const what = preset === undefined ? 'with its defaults' : `with preset '${preset}'`;
          await expectNoLeaks(async () => {
            const { model } = await create(kit, key, configOf(), preset);
            const names = Object.keys(model.weights);
            expect(names.length, `${key} ${what}: weights`).toBeGreaterThan(0);
            for (const name of names) expect(model.weights[name], `${key} ${what}: weight '${name}'`).toBeInstanceOf(tf.Variable);
            expect(typeof model.dispose, `${key} ${what}: dispose()`).toBe('function');
            model.dispose!();
          }, `making and disposing ${key} ${what}`);
        }
      });

      it('makes the same weights from the same seed', async () => {
        const [a, b] = await Promise.all([conformanceKit(options.plugins, 7), conformanceKit(options.plugins, 7)]);
        const [x, y] = [await create(a, key, configOf()), await create(b, key, configOf())];
        const [wx, wy] = [await weightValues(x.model.weights), await weightValues(y.model.weights)];
        expect(Object.keys(wy).sort()).toEqual(Object.keys(wx).sort());
        for (const name of Object.keys(wx)) expectClose(wy[name]!, wx[name]!, { rtol: 0, atol: 0 });
        x.model.dispose?.();
        y.model.dispose?.();
      });

      it('leaves the batch it is given: loss(batch) and predict(inputs) dispose none of its tensors', async () => {
        const { model } = await create(kit, key, configOf());
        const batch = cloneBatch(setup.batch);
        const { sum, weight } = model.loss(batch, { training: false });
        tf.dispose([sum, ...(typeof weight === 'number' ? [] : [weight])]);
        if (model.predict && batch.inputs && !batch.inputs.isDisposed) model.predict(batch.inputs).dispose();
        const disposed = Object.keys(batch).filter((name) => batch[name]!.isDisposed);
        expect(disposed, `${key}'s loss(batch) or predict(inputs) disposed the batch's ${disposed.join(', ')}: a model must leave the tensors it is given to their owner`).toEqual([]);
        tf.dispose(Object.values(batch));
        model.dispose?.();
      });

      it('has the gradient finite differences give, for every trainable weight (the loss per example, not training)', async () => {
        const { model } = await create(kit, key, configOf());
        const batch = cloneBatch(setup.batch);
        const meanLoss = () => tf.tidy(() => {
          const { sum, weight } = model.loss(batch, { training: false });
          return tf.div(sum, weight) as tf.Scalar;
        });
        const mismatches = await weightGradientMismatches(meanLoss, model.weights as Record<string, tf.Variable>, options.gradients);
        expect(mismatches, `${key}: the gradient autodiff gives differs from finite differences for these weights (a wrong backward pass, or a loss that is not a smooth function of its weights)`).toEqual([]);
        tf.dispose(Object.values(batch));
        model.dispose?.();
      });

      it('gives the same loss and predictions after saveModel and loadModel', async () => {
        const instance = await create(kit, key, configOf());
        const dir = mkdtempSync(join(tmpdir(), 'nnkit-conformance-'));
        await saveModel(dir, instance);
        const { instance: loaded } = await loadModel<TrainableModel>(kit, dir);
        const [before, after] = [await outputs(instance.model, setup.batch), await outputs(loaded.model, setup.batch)];
        expectClose(after.loss, before.loss, { rtol: 1e-6, atol: 1e-6 });
        if (before.predictions) expectClose(after.predictions!, before.predictions, { rtol: 1e-6, atol: 1e-6 });
        instance.model.dispose?.();
        loaded.model.dispose?.();
      });
    });

    describeEachBackend(`model ${key}: training`, () => {
      it('trains on its dataset through @nnkit/train: the loss is a finite sum, the weights move, and tf.memory() ends where it began', async () => {
        const setup = await setUp(kit, key, options);
        const { model } = await create(kit, key, { ...setup.config, ...options.config });
        const { sum, weight } = model.loss(setup.batch, { training: true, seed: 1 });
        expect(sum.rank, 'loss(batch).sum is a scalar').toBe(0);
        expect(Number.isFinite((await sum.data())[0]), 'loss(batch).sum is finite').toBe(true);
        const w = typeof weight === 'number' ? weight : (await weight.data())[0]!;
        expect(w, 'loss(batch).weight: what the sum is over').toBeGreaterThan(0);
        tf.dispose([sum, ...(typeof weight === 'number' ? [] : [weight])]);
        const fit = () => train({ model, data: setup.data, optimizer: { name: 'adam', learningRate: 1e-2 }, seed: 3, ...setup.trainOptions } as TrainOptions);
        await fit(); // warm-up: a backend may keep tensors of its own on first use
        const before = await weightValues(model.weights);
        await expectNoLeaks(fit, `training ${key}`);
        const after = await weightValues(model.weights);
        const moved = Object.keys(before).filter((name) => before[name]!.some((v, i) => v !== after[name]![i]));
        expect(moved.length, 'weights changed by training').toBeGreaterThan(0);
        model.dispose?.();
        setup.dispose();
      });
    }, { only: options.backends ?? DEFAULT_BACKENDS });
  });
}
