import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type Batch, type BatchSource, type Kit, type ModelInstance, type TrainableModel } from '@nnkit/core';
import { useBackend, type BackendName } from '@nnkit/backends';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { loadModel, saveModel, train, type TrainOptions } from '@nnkit/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceKit, type PluginList } from './kit.js';
import { expectNoLeaks, weightValues } from './leaks.js';
import { setUpModel, type ModelSetup } from './model-setup.js';
import { weightGradientMismatches, type WeightGradientOptions } from './weight-gradients.js';

export interface ModelConformanceOptions {
  /** The plugin that registers the model, and any it depends on (its cells' plugins, its datasets', its task's). */
  readonly plugins: PluginList;
  /** Config given to every instance, over the defaults, the presets and what the task fills from the corpus. */
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
  /** The weight-gradient check's step and tolerances (default ε 1e-3, rtol 0.25, atol 1e-3, jitter 0.05, float32). */
  readonly gradients?: WeightGradientOptions;
}

const DEFAULT_BACKENDS: readonly BackendName[] = ['cpu', 'wasm', 'webgpu', 'tensorflow'];

/** Steps of the loss-decrease check: Adam at 1e-2 on one batch lowers its loss well within them. */
const OVERFIT_STEPS = 5;

/** A copy of every tensor of `batch`, to hand a model that must not dispose them, or the loop, which does. */
function cloneBatch(batch: Batch): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(batch).map(([name, t]) => [name, tf.clone(t as tf.Tensor)]));
}

async function create(kit: Kit, key: string, config: Record<string, unknown>, preset?: string): Promise<ModelInstance<TrainableModel>> {
  return kit.createModel<TrainableModel>(key, { ...(preset !== undefined && { preset }), config });
}

/** The model's loss on `batch` (not training) and, where it has `predict` and the batch has `inputs`, its predictions. */
async function outputs(model: TrainableModel, batch: Batch): Promise<{ loss: number; predictions?: Float32Array }> {
  const { sum, weight } = model.loss(batch, { training: false });
  const [loss] = await sum.data();
  const w = typeof weight === 'number' ? weight : (await weight.data())[0]!;
  tf.dispose([sum, ...(typeof weight === 'number' ? [] : [weight])]);
  if (!model.predict || !batch.inputs) return { loss: loss! / w };
  const p = model.predict(batch.inputs);
  const predictions = (await p.data()) as Float32Array;
  p.dispose();
  return { loss: loss! / w, predictions };
}

/** The same batch at every step: `steps` optimizer steps on it (for token streams: its window, `steps` passes). */
function oneBatchOver(setup: ModelSetup, steps: number): Partial<TrainOptions> {
  const { batch } = setup;
  if (setup.length.bptt) {
    const window = batch.inputs!.shape[1]!;
    return { data: { xs: batch.inputs!, ys: batch.targets! }, bptt: { k1: window, k2: window }, epochs: steps };
  }
  const repeated: BatchSource = { batchesPerEpoch: 1, unit: 'batch', unitsPerEpoch: 1, batch: () => cloneBatch(batch) };
  return { data: repeated, steps };
}

/**
 * Checks a registered model against nnkit's model contract, in one line of a test file:
 *
 * ```ts
 * testModel('gru/parity', { plugins: [gru()] });
 * ```
 *
 * Everything that depends on the kind of data goes through the model's task (`ModelDefinition.task`), as `nnkit
 * train` does: the suite loads the model's dataset, fills the config fields the corpus decides (`configFrom`), trains
 * on the task's batches and scores with the task's `evaluate`. What it checks: the model is made from its defaults and
 * from each preset, with its weights as named variables, and `dispose()` frees them; it offers what its task calls on
 * (`fits`); the same seed gives the same weights; `loss` and `predict` leave the batch they are given undisposed;
 * autodiff's gradient equals finite differences for every weight; a few steps on one batch lower its loss; on every
 * backend, training steps through `@nnkit/train` on the task's batches move its weights and leave `tf.memory()`
 * where they found it; the task scores it with finite numbers, leaking nothing; and a model saved and loaded back
 * gives the same loss and predictions.
 */
export function testModel(key: string, options: ModelConformanceOptions): void {
  let kit: Kit;

  describe(`model ${key}: nnkit conformance`, () => {
    beforeAll(async () => {
      kit = await conformanceKit(options.plugins);
    });

    describe('making, seeding, saving', () => {
      let setup: ModelSetup;
      beforeAll(async () => {
        await useBackend('cpu');
        setup = await setUpModel(kit, key, options);
      });
      afterAll(() => setup?.dispose());
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

      it('offers what its task calls on, and fits the data the task set up', async () => {
        const instance = await create(kit, key, configOf());
        expect(
          setup.task.fits(instance.model),
          `${key} learns '${setup.taskKey}', which expects ${setup.task.learner ?? `a model of ${setup.task.holds}`}`,
        ).toBe(true);
        setup.task.check?.(setup.data, instance.config, { model: key, dataset: setup.datasetKey });
        instance.model.dispose?.();
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
        expect(
          disposed,
          `${key}'s loss(batch) or predict(inputs) disposed the batch's ${disposed.join(', ')}: a model must leave the tensors it is given to their owner`,
        ).toEqual([]);
        tf.dispose(Object.values(batch));
        model.dispose?.();
      });

      it('has the gradient finite differences give, for every trainable weight (the loss per example, not training)', async () => {
        const { model } = await create(kit, key, configOf());
        const batch = cloneBatch(setup.batch);
        const meanLoss = () =>
          tf.tidy(() => {
            const { sum, weight } = model.loss(batch, { training: false });
            return tf.div(sum, weight) as tf.Scalar;
          });
        const mismatches = await weightGradientMismatches(meanLoss, model.weights as Record<string, tf.Variable>, options.gradients);
        expect(
          mismatches,
          `${key}: the gradient autodiff gives differs from finite differences for these weights (a wrong backward pass, or a loss that is not a smooth function of its weights)`,
        ).toEqual([]);
        tf.dispose(Object.values(batch));
        model.dispose?.();
      });

      it(`lowers the loss of one batch in ${OVERFIT_STEPS} steps on it through @nnkit/train`, async () => {
        const { model } = await create(kit, key, configOf());
        const before = (await outputs(model, setup.batch)).loss;
        await train({
          model,
          optimizer: { name: 'adam', learningRate: 1e-2 },
          seed: 3,
          ...oneBatchOver(setup, OVERFIT_STEPS),
        } as TrainOptions);
        const after = (await outputs(model, setup.batch)).loss;
        expect(after, `${key}: the loss per example on the batch it trained on, before ${before}`).toBeLessThan(before);
        model.dispose?.();
      });

      it('is scored by its task: finite scores, leaving tf.memory() where it was', async () => {
        const { model } = await create(kit, key, configOf());
        const score = () => setup.task.evaluate(model, setup.data, setup.split, { kit, limit: 64 });
        const scores = await score(); // warm-up: a backend may keep tensors of its own on first use
        expect(Object.keys(scores).length, `${setup.taskKey}'s scores of ${key} on ${setup.split}`).toBeGreaterThan(0);
        for (const [name, value] of Object.entries(scores))
          expect(Number.isFinite(value), `score '${name}' is finite, got ${value}`).toBe(true);
        await expectNoLeaks(score, `scoring ${key} through ${setup.taskKey}`);
        model.dispose?.();
      });

      it('gives the same loss and predictions after saveModel and loadModel', async () => {
        const instance = await create(kit, key, configOf());
        const dir = mkdtempSync(join(tmpdir(), 'nnkit-conformance-'));
        await saveModel(dir, instance, { ...setup.task.saveExtras?.(setup.data) });
        const { instance: loaded } = await loadModel<TrainableModel>(kit, dir);
        const [before, after] = [await outputs(instance.model, setup.batch), await outputs(loaded.model, setup.batch)];
        expectClose(after.loss, before.loss, { rtol: 1e-6, atol: 1e-6 });
        if (before.predictions) expectClose(after.predictions!, before.predictions, { rtol: 1e-6, atol: 1e-6 });
        instance.model.dispose?.();
        loaded.model.dispose?.();
      });
    });

    describeEachBackend(
      `model ${key}: training`,
      () => {
        it("trains on its task's batches through @nnkit/train: the loss is a finite sum, the weights move, and tf.memory() ends where it began", async () => {
          const setup = await setUpModel(kit, key, options);
          const { model } = await create(kit, key, { ...setup.config, ...options.config });
          const { sum, weight } = model.loss(setup.batch, { training: true, seed: 1 });
          expect(sum.rank, 'loss(batch).sum is a scalar').toBe(0);
          expect(Number.isFinite((await sum.data())[0]), 'loss(batch).sum is finite').toBe(true);
          const w = typeof weight === 'number' ? weight : (await weight.data())[0]!;
          expect(w, 'loss(batch).weight: what the sum is over').toBeGreaterThan(0);
          tf.dispose([sum, ...(typeof weight === 'number' ? [] : [weight])]);
          const fit = () =>
            train({
              model,
              data: setup.training.train,
              optimizer: { name: 'adam', learningRate: 1e-2 },
              seed: 3,
              ...setup.length,
            } as TrainOptions);
          await fit(); // warm-up: a backend may keep tensors of its own on first use
          const before = await weightValues(model.weights);
          await expectNoLeaks(fit, `training ${key}`);
          const after = await weightValues(model.weights);
          const moved = Object.keys(before).filter((name) => before[name]!.some((v, i) => v !== after[name]![i]));
          expect(moved.length, 'weights changed by training').toBeGreaterThan(0);
          model.dispose?.();
          setup.dispose();
        });
      },
      { only: options.backends ?? DEFAULT_BACKENDS },
    );
  });
}
