import { mkdtempSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, DataError, type SupervisedData, type TrainableModel } from '@nnkit/core';
import { silentProgress } from '@nnkit/kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointStore } from './checkpoint-store.js';
import { TrainingDivergedError } from './errors.js';
import { evaluate } from './evaluate.js';
import { circlesData, mlp, type Mlp } from './mlp.fixture.js';
import { train, DEFAULT_DIVERGENCE_FACTOR } from './train.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'nnkit-train-safety-'));

/**
 * One weight w; the training loss is (w − 1)² + 1 (finite, near 1), the validation loss `validation(epoch)`: what a
 * diverging run looks like from outside, without depending on how fast a real model blows up.
 */
function scriptedModel(validation: (measured: number) => number): TrainableModel {
  const w = tf.variable(tf.scalar(0));
  let measured = 0;
  return {
    weights: { w },
    loss: ({ inputs }, { training }) =>
      tf.tidy(() => {
        const n = inputs!.shape[0]!;
        const perExample = training ? tf.add(tf.square(tf.sub(w, 1)), 1) : tf.add(tf.mul(w, 0), validation(measured++));
        return { sum: tf.mul(perExample, n) as tf.Scalar, weight: n };
      }),
    dispose: () => w.dispose(),
  };
}

const examples = () => ({ xs: tf.ones([8, 1]), ys: tf.zeros([8, 1]) });

describe('train: divergence of the validation loss', () => {
  it(`stops when the validation loss rises past ${DEFAULT_DIVERGENCE_FACTOR}× its best, naming both, before a checkpoint of those weights`, async () => {
    const data = examples();
    // Epoch 1: 0.5 (the best), epoch 2: 0.6 (worse but fine), epoch 3: 5.5 (11× the best).
    const model = scriptedModel((i) => [0.5, 0.6, 5.5][i]!);
    const dir = tempDir();
    const before = tf.memory().numTensors;
    const error = await train({
      model,
      data: { train: data, validation: data },
      epochs: 5,
      batchSize: 8,
      checkpoint: { dir },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as Error).message).toBe(
      `Training expects a validation loss below 10× its best so far (0.5000), got 5.500 after step 3; the model holds the diverged weights of step 3. ` +
        `The last good checkpoint is ${new CheckpointStore(dir).pathFor(2)}. Lower the learning rate or clip the gradients (clip: { norm: 1 } or --clip-norm 1).`,
    );
    expect(readdirSync(dir).filter((f) => f.startsWith('step-'))).toEqual(['step-000000001.ckpt', 'step-000000002.ckpt']);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose!();
    tf.dispose([data.xs, data.ys]);
  });

  it('on the first epoch measures against the loss the model started from; divergenceFactor sets the factor, Infinity turns it off', async () => {
    const data = examples();
    // The first step's training loss is (0 − 1)² + 1 = 2: a first validation loss of 1e7 is past 10× that.
    const first = scriptedModel(() => 1e7);
    const error = await train({ model: first, data: { train: data, validation: data }, epochs: 1, batchSize: 8 }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^Training expects a validation loss below 10× its best so far \(2\.000\), got 1\.000e\+7 after step 1/,
    );
    first.dispose!();

    const loose = scriptedModel((i) => [0.5, 4][i]!); // 8×: past 5×, within 10×
    await expect(
      train({ model: loose, data: { train: data, validation: data }, epochs: 2, batchSize: 8, divergenceFactor: 5 }),
    ).rejects.toThrow(/below 5× its best so far \(0\.5000\), got 4\.000/);
    loose.dispose!();
    const off = scriptedModel(() => 1e7);
    const result = await train({
      model: off,
      data: { train: data, validation: data },
      epochs: 2,
      batchSize: 8,
      divergenceFactor: Infinity,
    });
    expect(result.history.map((h) => h.metrics.val_loss)).toEqual([1e7, 1e7]);
    off.dispose!();
    await expect(train({ model: off, data, epochs: 1, divergenceFactor: 1 })).rejects.toThrow(ConfigError);
    tf.dispose([data.xs, data.ys]);
  });

  // Infinity is not "below the limit", and NaN compares false with everything: both must stop the run.
  it.each([NaN, Infinity])('stops when the validation loss is %s, saying the weights of that step diverged', async (loss) => {
    const data = examples();
    const model = scriptedModel(() => loss);
    const before = tf.memory().numTensors;
    const error = await train({ model, data: { train: data, validation: data }, epochs: 2, batchSize: 4 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Training expects a finite validation loss, got ${loss} after step 2; the model holds the diverged weights of step 2\\. No checkpoint was written`,
      ),
    );
    expect(tf.memory().numTensors).toBe(before);
    model.dispose!();
    tf.dispose([data.xs, data.ys]);
  });
});

describe('train and evaluate: empty and non-finite data', () => {
  it('refuses an empty training or validation split, and evaluate an empty one', async () => {
    const data = circlesData(16);
    const model = mlp(3);
    const empty = { xs: tf.zeros([0, 2]), ys: tf.zeros([0, 2]) };
    await expect(train({ model, data: empty, epochs: 1 })).rejects.toThrow(
      new DataError(
        'train expects training data with at least one example, got an empty split. Check the dataset and its options (a limit of 0?).',
      ),
    );
    await expect(train({ model, data: { train: data.train, validation: empty }, epochs: 1 })).rejects.toThrow(
      /^train expects validation data with at least one example, got an empty split\. Leave validation out/,
    );
    await expect(evaluate(model, empty)).rejects.toThrow(/^evaluate expects at least one example in its data, got an empty split/);
    model.dispose!();
    tf.dispose([empty.xs, empty.ys]);
    data.dispose();
  });

  it('evaluate refuses NaN inputs with a DataError naming the tensor, rather than a plausible loss', async () => {
    const model = mlp(3);
    const nan = {
      xs: tf.fill([4, 2], NaN),
      ys: tf.tensor2d([
        [1, 0],
        [0, 1],
        [1, 0],
        [0, 1],
      ]),
    };
    const before = tf.memory().numTensors;
    const error = await evaluate(model, nan).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toBe(
      "evaluate expects finite numbers in its data, got NaN or ±Infinity in the batch's 'inputs'. Find the values with tf.isFinite and drop or replace those examples.",
    );
    expect(tf.memory().numTensors).toBe(before);
    model.dispose!();
    tf.dispose([nan.xs, nan.ys]);
  });
});

describe('NaN inputs that the loss hides', () => {
  it('are refused by train and by evaluate, naming the tensor, though the loss comes out finite', async () => {
    const w = tf.variable(tf.scalar(1));
    // A loss that never reads its inputs: finite whatever they hold, as a max-pool can make a NaN image's loss.
    const model: TrainableModel = {
      weights: { w },
      loss: ({ inputs }) => ({ sum: tf.mul(tf.square(w), inputs!.shape[0]!) as tf.Scalar, weight: inputs!.shape[0]! }),
    };
    const nan = { xs: tf.fill([4, 2], NaN), ys: tf.zeros([4, 1]) };
    const before = tf.memory().numTensors;
    await expect(train({ model, data: nan, epochs: 1, batchSize: 4 })).rejects.toThrow(
      /^Training expects finite numbers in its data, got NaN or ±Infinity in the batch's 'inputs' at step 1 \(epoch 1, batch 1\), where the loss was 1:/,
    );
    await expect(evaluate(model, nan)).rejects.toThrow(
      new DataError(
        "evaluate expects finite numbers in its data, got NaN or ±Infinity in the batch's 'inputs'. Find the values with tf.isFinite and drop or replace those examples.",
      ),
    );
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, nan.xs, nan.ys]);
  });
});

describe('train: resume with no usable checkpoint', () => {
  // Every test trains the same fresh MLP on the same circles, in a run folder of its own.
  let data: SupervisedData;
  let model: Mlp;
  let dir: string;
  beforeEach(() => {
    data = circlesData(32);
    model = mlp(4);
    dir = tempDir();
  });
  afterEach(() => {
    model.dispose!();
    data.dispose();
  });

  it('starts over, saying so, when there is no checkpoint at all', async () => {
    const logs: string[] = [];
    const none = join(dir, 'none-yet');
    const result = await train({
      model,
      data,
      epochs: 1,
      batchSize: 16,
      checkpoint: { dir: none },
      resume: true,
      progress: { ...silentProgress(), log: (l) => logs.push(l) },
    });
    expect(result.resumedFrom).toBeUndefined();
    expect(logs).toContain(`no checkpoint in ${none} to resume from: starting a new run at step 0`);
  });

  it('refuses, naming the damage and --overwrite, when every checkpoint is damaged; overwrite then starts over', async () => {
    await train({ model, data, epochs: 2, batchSize: 16, checkpoint: { dir } });
    const store = new CheckpointStore(dir);
    for (const step of store.steps()) truncateSync(store.pathFor(step), 50);
    writeFileSync(store.bestPath, 'junk');
    const error = await train({ model, data, epochs: 3, batchSize: 16, checkpoint: { dir }, resume: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Resuming the run in ${dir} expects an intact checkpoint, got 2, every one damaged \\(the first: Checkpoint .*step-000000004\\.ckpt expects .*\\)\\. Restore them from a copy, or start over: --overwrite without --resume`,
      ),
    );
    const fresh = await train({ model, data, epochs: 1, batchSize: 16, checkpoint: { dir, overwrite: true } });
    expect(fresh.steps).toBe(2);
    expect(store.steps()).toEqual([2]);
  });

  it('a refused resume shows the seed given in checkpoint.settings, not the one the steps use', async () => {
    await train({
      model,
      data,
      epochs: 1,
      batchSize: 16,
      seed: 3864084988,
      checkpoint: { dir, settings: { seed: 99 } },
    });
    await expect(
      train({
        model,
        data,
        epochs: 2,
        batchSize: 16,
        seed: 2769362740,
        checkpoint: { dir, settings: { seed: 11 } },
        resume: true,
      }),
    ).rejects.toThrow(/got 1 different: seed 11 \(the run has 99\)\./);
    // A run recorded with the derived seed as its shown one resumes with the same derived seed, whatever is shown now.
    const old = tempDir();
    await train({ model, data, epochs: 1, batchSize: 16, seed: 3864084988, checkpoint: { dir: old } });
    const resumed = await train({
      model,
      data,
      epochs: 2,
      batchSize: 16,
      seed: 3864084988,
      checkpoint: { dir: old, settings: { seed: 99 } },
      resume: true,
    });
    expect(resumed.resumedFrom).toBe(2);
  });
});
