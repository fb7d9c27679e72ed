import { mkdtempSync, readdirSync, truncateSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  ConfigError,
  DataError,
  ShapeError,
  StorageError,
  type BatchSource,
  type ProgressReporter,
  type TrainableModel,
} from '@nnkit/core';
import { silentProgress } from '@nnkit/kit';
import { describeEachBackend } from '@nnkit/core/testing';
import { describe, expect, it } from 'vitest';
import { earlyStopping } from './callbacks.js';
import { CheckpointStore, readCheckpoint } from './checkpoint-store.js';
import { FolderInUseError, TrainingDivergedError } from './errors.js';
import { exampleBatches } from './batches.js';
import { circlesData, mlp, weightValues } from './mlp.fixture.js';
import { train } from './train.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'nnkit-train-'));

describeEachBackend('train', () => {
  it('learns a two-class problem and reports validation metrics each epoch', async () => {
    const data = circlesData(200);
    const model = mlp(1, 16);
    const result = await train({
      model,
      data,
      optimizer: { name: 'adam', learningRate: 0.05 },
      epochs: 30,
      batchSize: 32,
    });
    expect(result.steps).toBe(30 * 7);
    expect(result.history).toHaveLength(30);
    const first = result.history[0]!.metrics;
    const last = result.history.at(-1)!.metrics;
    expect(last.loss).toBeLessThan(first.loss! / 2);
    expect(last.val_accuracy).toBeGreaterThan(0.9);
    model.dispose!();
    data.dispose();
  });

  it('gives the same weights for the same seed, and leaves tf.memory().numTensors where it found it', async () => {
    const data = circlesData(64);
    const before = tf.memory().numTensors;
    const runs: Record<string, number[]>[] = [];
    const counts: number[] = [];
    for (let run = 0; run < 2; run++) {
      const model = mlp(7);
      await train({
        model,
        data,
        epochs: 2,
        batchSize: 16,
        seed: 3,
        callbacks: [{ onStep: () => void counts.push(tf.memory().numTensors) }],
      });
      runs.push(await weightValues(model));
      model.dispose!();
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(tf.memory().numTensors).toBe(before);
    // After the first step (which creates the optimizer's slots), every step ends with the same count.
    expect(new Set(counts.slice(1, 8)).size).toBe(1);
    data.dispose();
  });
});

describe('train: clipping, divergence, stopping, options', () => {
  it('clips the update by the global norm of all gradients', async () => {
    const data = circlesData(32);
    const model = mlp(2);
    const before = await weightValues(model);
    await train({
      model,
      data,
      optimizer: { name: 'sgd', learningRate: 1 },
      steps: 1,
      batchSize: 32,
      clip: { norm: 0.01 },
      shuffle: false,
    });
    const after = await weightValues(model);
    const [was, now] = [Object.values(before).flat(), Object.values(after).flat()];
    const change = Math.sqrt(now.reduce((sum, v, i) => sum + (v - was[i]!) ** 2, 0));
    expect(change).toBeGreaterThan(0);
    expect(change).toBeLessThanOrEqual(0.01 * (1 + 1e-4)); // sgd with lr 1: the step is the clipped gradient
    model.dispose!();
    data.dispose();
  });

  it('stops at a NaN loss before the bad update, naming the step and the last good checkpoint', async () => {
    const data = circlesData(64);
    const dir = tempDir();
    const model = mlp(3, 8, { poisonAtCall: 6 });
    const error = await train({ model, data, steps: 10, batchSize: 16, checkpoint: { dir, everySteps: 2 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as TrainingDivergedError).step).toBe(6);
    expect((error as Error).message).toContain('got NaN at step 6');
    expect((error as Error).message).toContain(join(dir, 'step-000000004.ckpt'));
    // The weights are those after step 5: finite.
    expect(
      Object.values(await weightValues(model))
        .flat()
        .every(Number.isFinite),
    ).toBe(true);
    model.dispose!();
    data.dispose();
  });

  it('stops at an infinite gradient even when the loss is finite, before the update', async () => {
    const w = tf.variable(tf.scalar(1));
    // √|w − 1| is 0 at w = 1, where its slope is infinite.
    const model: TrainableModel = {
      weights: { w },
      loss: () => ({ sum: tf.sqrt(tf.abs(tf.sub(w, 1))) as tf.Scalar, weight: 1 }),
    };
    const data = { xs: tf.zeros([4, 1]), ys: tf.zeros([4, 1]) };
    const error = await train({ model, data, steps: 1, batchSize: 4 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as Error).message).toMatch(/expects finite gradients, got a gradient norm of (NaN|Infinity) at step 1 \(loss 0\)/);
    expect(await w.data()).toEqual(new Float32Array([1]));
    tf.dispose([w, data.xs, data.ys]);
  });

  it('names NaN or Infinity in the data as bad data (a DataError naming the part), not a learning rate to lower', async () => {
    const data = circlesData(32);
    const xs = tf.tidy(() => tf.concat([data.train.xs.slice([0, 0], [31, 2]), tf.tensor2d([[NaN, 1]])])); // the last input
    const model = mlp(6);
    const before = tf.memory().numTensors;
    const error = await train({ model, data: { xs, ys: data.train.ys }, steps: 4, batchSize: 8, shuffle: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(
      /^Training expects finite numbers in its data, got NaN or ±Infinity in the batch's 'inputs' at step 4 \(epoch 1, batch 4\)/,
    );
    expect(tf.memory().numTensors).toBe(before);
    model.dispose!();
    tf.dispose(xs);
    data.dispose();
  });

  it("names NaN in the validation data as bad data, naming the batch's tensor", async () => {
    const data = circlesData(16);
    const validation = {
      xs: tf.tensor2d([
        [0, 1],
        [NaN, 0],
      ]),
      ys: tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
    };
    const model = mlp(8);
    const before = tf.memory().numTensors;
    const error = await train({ model, data: { train: data.train, validation }, epochs: 1, batchSize: 8 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(
      /^Training expects finite numbers in its validation data, got NaN or ±Infinity in the batch's 'inputs'\. Find the values with tf\.isFinite/,
    );
    expect(tf.memory().numTensors).toBe(before);
    model.dispose!();
    tf.dispose(validation);
    data.dispose();
  });

  it('rejects a batch the model cannot take with its error, leaving no tensor behind', async () => {
    const data = circlesData(16);
    const model = mlp(7);
    // Five classes for a two-class model: tfjs's softmaxCrossEntropy throws after the forward pass has run.
    const wrongTargets = tf.zeros([16, 5]);
    // A model that checks its batch after part of its forward pass.
    const w = tf.variable(tf.ones([2, 2]));
    const late: TrainableModel = {
      weights: { w },
      loss: ({ inputs }) => {
        tf.relu(tf.matMul(inputs!, w));
        throw new ShapeError('late expects a batch it likes, got this one.');
      },
    };
    const before = tf.memory().numTensors;
    await expect(train({ model, data: { xs: data.train.xs, ys: wrongTargets }, epochs: 1, batchSize: 8 })).rejects.toThrow(
      /softmaxCrossEntropy/,
    );
    expect(tf.memory().numTensors).toBe(before);
    await expect(train({ model: late, data: data.train, epochs: 1, batchSize: 8 })).rejects.toBeInstanceOf(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    // The tape is clean: the same model trains afterwards.
    expect((await train({ model, data: data.train, epochs: 1, batchSize: 8 })).steps).toBe(2);
    model.dispose!();
    tf.dispose([w, wrongTargets]);
    data.dispose();
  });

  it('stops early when validation loss stops improving', async () => {
    const data = circlesData(64);
    const model = mlp(4);
    // A learning rate this small barely moves: patience runs out.
    const result = await train({
      model,
      data,
      optimizer: { name: 'sgd', learningRate: 1e-9 },
      epochs: 50,
      batchSize: 64,
      callbacks: [earlyStopping({ patience: 2 })],
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.history.length).toBeLessThan(50);
    model.dispose!();
    data.dispose();
  });

  it('refuses options that make no sense, saying what it expects', async () => {
    const data = circlesData(8);
    const model = mlp(5);
    await expect(train({ model, data, batchSize: 4 })).rejects.toThrow(/expects epochs or steps/);
    await expect(train({ model, data, epochs: 0 })).rejects.toBeInstanceOf(ConfigError);
    await expect(train({ model, data, epochs: 1, resume: true })).rejects.toThrow(/checkpoint\.dir/);
    await expect(train({ model, data, epochs: 1, optimizer: { name: 'adamw' as never, learningRate: 1 } })).rejects.toThrow(
      /among sgd, momentum/,
    );
    model.dispose!();
    data.dispose();
  });

  it('refuses a batch size or shuffling for a BatchSource, which makes and orders its own batches', async () => {
    const data = circlesData(8);
    const model = mlp(5);
    const source = exampleBatches(data.train, { batchSize: 4 });
    for (const [key, extra] of [
      ['batchSize', { batchSize: 4 }],
      ['shuffle', { shuffle: false }],
    ] as const) {
      const error = await train({ model, data: source, epochs: 1, ...extra }).catch((e: unknown) => e);
      expect(error, key).toBeInstanceOf(ConfigError);
      expect(error, key).toMatchObject({ code: 'NNKIT_CONFIG', key });
      expect((error as Error).message).toContain(`on a BatchSource expects no ${key}`);
    }
    // The same source without them trains: two batches of four.
    expect((await train({ model, data: source, epochs: 1 })).steps).toBe(2);
    model.dispose!();
    data.dispose();
  });

  it('minimizes sum / weight for a loss whose weight is a tensor, and a batch of weight 0 changes nothing', async () => {
    // Regression: dividing by a tensor weight with tf.divNoNan put Equal (which has no gradient) on the gradient path.
    const w = tf.variable(tf.scalar(0));
    // A squared error summed over the masked rows of `inputs`; its weight is Σ mask (a tensor).
    const model: TrainableModel = {
      weights: { w },
      loss: ({ inputs, mask }) => ({
        sum: tf.sum(tf.mul(tf.square(tf.sub(inputs!, w)), mask!)) as tf.Scalar,
        weight: tf.sum(mask!) as tf.Scalar,
      }),
    };
    const batches: Record<string, number[]>[] = [
      { inputs: [1, 3, 100], mask: [1, 1, 0] }, // mean of the real rows: 2, whatever the padded 100
      { inputs: [7, 7, 7], mask: [0, 0, 0] }, // nothing real: no gradient, no update
    ];
    const source: BatchSource = {
      batchesPerEpoch: 2,
      unit: 'ex',
      unitsPerEpoch: 2,
      batch: (_epoch, index) => ({
        inputs: tf.tensor1d(batches[index]!.inputs!),
        mask: tf.tensor1d(batches[index]!.mask!),
      }),
    };
    const seen: number[] = [];
    const before = tf.memory().numTensors;
    const result = await train({
      model,
      data: source,
      epochs: 1,
      optimizer: { name: 'sgd', learningRate: 0.25 },
      callbacks: [{ onStep: async () => void seen.push((await w.data())[0]!) }],
    });
    // Step 1: d/dw of ((1 − w)² + (3 − w)²) / 2 at 0 is −4, so w = 0.25 × 4 = 1. Step 2 leaves it there.
    expect(seen).toEqual([1, 1]);
    // The epoch's loss is Σ sum / Σ weight = (1 + 9 + 0) / (2 + 0).
    expect(result.history[0]!.metrics.loss).toBeCloseTo(5, 5);
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });

  it('reports progress through the reporter it is given', async () => {
    const lines: string[] = [];
    const updates: number[] = [];
    const reporter: ProgressReporter = {
      log: (m) => lines.push(m),
      start: () => ({ update: (done) => updates.push(done), end: () => lines.push('end') }),
    };
    const data = circlesData(32);
    const model = mlp(6);
    await train({ model, data, epochs: 2, batchSize: 16, progress: reporter });
    expect(updates).toEqual([16, 32, 48, 64]);
    expect(lines.filter((l) => l.startsWith('epoch'))).toHaveLength(2);
    expect(lines.at(-1)).toBe('end');
    model.dispose!();
    data.dispose();
  });

  it('tells the reporter how much a resumed run had done, so that its rate counts only the work since', async () => {
    const starts: { total?: number; done?: number }[] = [];
    const reporter: ProgressReporter = {
      log: () => {},
      start: (_label, options = {}) => (starts.push(options), { update: () => {}, end: () => {} }),
    };
    const data = circlesData(32);
    const model = mlp(6);
    const dir = tempDir();
    await train({ model, data, epochs: 1, batchSize: 16, checkpoint: { dir }, progress: reporter });
    await train({ model, data, epochs: 3, batchSize: 16, checkpoint: { dir }, resume: true, progress: reporter });
    expect(starts.map(({ total, done }) => ({ total, done }))).toEqual([
      { total: 32, done: 0 },
      { total: 96, done: 32 },
    ]);
    model.dispose!();
    data.dispose();
  });
});

describe('checkpoints', () => {
  it('keeps the last N and the best, each intact', async () => {
    const data = circlesData(64);
    const dir = tempDir();
    const model = mlp(8);
    await train({ model, data, epochs: 5, batchSize: 16, checkpoint: { dir, keep: 2 } });
    expect(readdirSync(dir).sort()).toEqual(['best.ckpt', 'step-000000016.ckpt', 'step-000000020.ckpt']);
    expect(readCheckpoint(join(dir, 'step-000000020.ckpt')).header).toMatchObject({
      step: 20,
      epoch: 5,
      batchInEpoch: 0,
    });
    expect(readCheckpoint(join(dir, 'best.ckpt')).header.step).toBeGreaterThan(0);
    model.dispose!();
    data.dispose();
  });

  it('refuses a truncated or altered checkpoint with a clear error', async () => {
    const data = circlesData(32);
    const dir = tempDir();
    const model = mlp(9);
    await train({ model, data, epochs: 1, batchSize: 16, checkpoint: { dir } });
    const path = join(dir, 'step-000000002.ckpt');
    const bytes = readFileSync(path);
    const altered = join(dir, 'altered.ckpt');
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff;
    writeFileSync(altered, bytes);
    expect(() => readCheckpoint(altered)).toThrow(/corrupt/);
    truncateSync(path, bytes.length - 10);
    expect(() => readCheckpoint(path)).toThrow(DataError);
    expect(() => readCheckpoint(path)).toThrow(/truncated/);
    model.dispose!();
    data.dispose();
  });

  it('refuses a checkpoint with NaN weights or a malformed header as damaged (DataError), never a TypeError', () => {
    const dir = tempDir();
    const store = new CheckpointStore(dir);
    const specs = [{ name: 'w', shape: [2], dtype: 'float32' as const }];
    const position = { step: 1, epoch: 0, batchInEpoch: 1, seed: 1, optimizerSpecs: [], state: {} };
    const nan = store.write({ ...position, modelSpecs: specs }, new Uint8Array(new Float32Array([1, NaN]).buffer));
    expect(() => readCheckpoint(nan)).toThrow(DataError);
    expect(() => readCheckpoint(nan)).toThrow(`Checkpoint ${nan} expects finite weights, got NaN in 'w' (element 1). It is damaged`);
    const malformed = store.write(
      { ...position, step: 2, modelSpecs: [{ name: 'w', shape: [2], dtype: 'float16' as 'float32' }] },
      new Uint8Array(8),
    );
    expect(() => readCheckpoint(malformed)).toThrow(DataError);
    expect(() => readCheckpoint(malformed)).toThrow(/expects weight 0 as \{ name, shape, dtype: 'float32' or 'int32' \}, got .*float16/);
    const logs: string[] = [];
    expect(store.latest((error) => logs.push(error.message))).toBeUndefined();
    expect(logs).toHaveLength(2);
  });

  it('resumes to the same weights as a run never stopped, skipping a damaged newest checkpoint', async () => {
    const data = circlesData(80);
    const whole = mlp(10);
    const uninterrupted = await train({ model: whole, data, steps: 12, batchSize: 16, seed: 5 });
    const expected = await weightValues(whole);
    whole.dispose!();

    const dir = tempDir();
    const first = mlp(10);
    await train({ model: first, data, steps: 7, batchSize: 16, seed: 5, checkpoint: { dir, everySteps: 1, keep: 10 } });
    first.dispose!();
    // The newest checkpoint is torn, as by a crash in the middle of a copy: resume must fall back to step 6.
    truncateSync(new CheckpointStore(dir).pathFor(7), 100);
    const logs: string[] = [];
    const second = mlp(99); // other initial weights: the checkpoint must overwrite them all
    const result = await train({
      model: second,
      data,
      steps: 12,
      batchSize: 16,
      seed: 5,
      checkpoint: { dir, everySteps: 1, keep: 10 },
      resume: true,
      progress: { ...silentProgress(), log: (m) => logs.push(m) },
    });
    expect(result.resumedFrom).toBe(6);
    // Epoch 2 was cut at its first batch: its reported mean loss still covers all of it.
    expect(result.history).toEqual(uninterrupted.history);
    expect(logs.some((l) => l.includes('skipping a damaged checkpoint') && l.includes('step-000000007.ckpt'))).toBe(true);
    expect(await weightValues(second)).toEqual(expected);
    second.dispose!();
    data.dispose();
  });
});

describe('checkpoints belong to a run', () => {
  it("a new run into a folder with another run's checkpoints is refused, or with overwrite replaces them", async () => {
    const data = circlesData(64);
    const dir = tempDir();
    const model = mlp(30);
    await train({ model, data, epochs: 5, batchSize: 16, checkpoint: { dir, keep: 2 } }); // steps 16 and 20 kept
    const before = tf.memory().numTensors;
    const refused = await train({ model, data, epochs: 1, batchSize: 16, checkpoint: { dir, keep: 2 } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as Error).message).toBe(
      `A new training run expects a checkpoint folder of its own, got another run's checkpoints in ${dir} (the newest at step 20). ` +
        'Continue that run (--resume, or resume: true), choose another folder (--out, or checkpoint.dir), or delete them (--overwrite, or checkpoint.overwrite: true).',
    );
    expect(tf.memory().numTensors).toBe(before);

    // A shorter run: its checkpoints (steps 2 and 4) are kept, not pruned in favour of the old run's higher steps.
    await train({ model, data, epochs: 1, batchSize: 32, checkpoint: { dir, keep: 2, overwrite: true } });
    expect(readdirSync(dir).sort()).toEqual(['best.ckpt', 'step-000000002.ckpt']);
    const resumed = await train({ model, data, epochs: 2, batchSize: 32, checkpoint: { dir, keep: 2 }, resume: true });
    expect(resumed).toMatchObject({ resumedFrom: 2, steps: 4 });
    model.dispose!();
    data.dispose();
  });

  it('a resume with other settings is refused, each difference listed; a new learning rate and more steps are fine', async () => {
    const data = circlesData(64);
    const dir = tempDir();
    const model = mlp(31);
    const settings = { model: 'toy/mlp', config: { hidden: 8, activation: 'tanh' } };
    await train({
      model,
      data,
      steps: 4,
      batchSize: 16,
      seed: 3,
      optimizer: { name: 'adam', learningRate: 0.01 },
      checkpoint: { dir, settings },
    });
    const other = circlesData(80);
    const before = tf.memory().numTensors;
    const error = await train({
      model,
      data: other,
      steps: 8,
      batchSize: 8,
      seed: 4,
      checkpoint: { dir, settings: { ...settings, config: { hidden: 8, activation: 'relu' } } },
      resume: true,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(`Resuming the run in ${dir} expects the settings it was started with, got 5 different: `);
    expect(message).toContain('seed 4 (the run has 3)');
    expect(message).toContain('data.batchesPerEpoch 10 (the run has 4)');
    expect(message).toContain('data.size "80 ex" (the run has "64 ex")');
    expect(message).toContain('batchSize 8 (the run has 16)');
    expect(message).toContain('config.activation "relu" (the run has "tanh")');
    expect(tf.memory().numTensors).toBe(before);

    const more = await train({
      model,
      data,
      steps: 6,
      batchSize: 16,
      seed: 3,
      optimizer: { name: 'adam', learningRate: 0.001 },
      checkpoint: { dir, settings },
      resume: true,
    });
    expect(more).toMatchObject({ resumedFrom: 4, steps: 6 });
    model.dispose!();
    data.dispose();
    other.dispose();
  });

  it('resuming a run that has done all it was asked trains nothing and says so', async () => {
    const data = circlesData(32);
    const dir = tempDir();
    const model = mlp(32);
    await train({ model, data, epochs: 2, batchSize: 16, checkpoint: { dir } });
    const trained = await weightValues(model);
    const logs: string[] = [];
    const result = await train({
      model,
      data,
      epochs: 2,
      batchSize: 16,
      checkpoint: { dir },
      resume: true,
      progress: { ...silentProgress(), log: (m) => logs.push(m) },
    });
    expect(result).toMatchObject({ steps: 4, resumedFrom: 4 });
    expect(result.history).toHaveLength(2);
    expect(logs).toContain(
      `nothing left to train: the run in ${dir} has done 4 steps, as many as asked for; give more epochs or steps to train on`,
    );
    expect(await weightValues(model)).toEqual(trained);
    model.dispose!();
    data.dispose();
  });

  it('two runs into one folder at once: the second is refused, naming the folder and the first', async () => {
    const data = circlesData(32);
    const dir = tempDir();
    const [a, b] = [mlp(33), mlp(34)];
    const first = train({ model: a, data, epochs: 2, batchSize: 16, checkpoint: { dir }, label: 'first' });
    const second = await train({
      model: b,
      data,
      epochs: 2,
      batchSize: 16,
      checkpoint: { dir },
      label: 'second',
    }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(FolderInUseError);
    expect((second as Error).message).toContain(`${dir} expects one writer at a time, got it in use by train (first) (pid ${process.pid}`);
    expect(await first).toMatchObject({ steps: 4 });
    expect(readdirSync(dir).sort()).toEqual(['best.ckpt', 'step-000000002.ckpt', 'step-000000004.ckpt']); // the lock is gone
    for (const model of [a, b]) model.dispose!();
    data.dispose();
  });

  it('a checkpoint folder that is a file is refused before the first step, naming it', async () => {
    const data = circlesData(32);
    const file = join(tempDir(), 'checkpoints');
    writeFileSync(file, '');
    const model = mlp(35);
    const before = await weightValues(model);
    const error = await train({ model, data, epochs: 1, batchSize: 16, checkpoint: { dir: file } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toBe(
      `The checkpoint folder ${file} expects a folder, got a file. Choose another path, or move the file away.`,
    );
    expect(await weightValues(model)).toEqual(before);
    model.dispose!();
    data.dispose();
  });
});

describe('learning-rate schedule', () => {
  it('sets the rate at the start of each epoch, for optimizers that cache it (sgd) and those that do not (adam)', async () => {
    const data = circlesData(32);
    const snapshotsPerEpoch = async (name: 'sgd' | 'adam', schedule?: (epoch: number) => number) => {
      const model = mlp(11);
      const snapshots: Record<string, number[]>[] = [];
      await train({
        model,
        data,
        epochs: 3,
        batchSize: 16,
        optimizer: { name, learningRate: 0.1 },
        ...(schedule && { learningRate: schedule }),
        callbacks: [{ onEpochEnd: async () => void snapshots.push(await weightValues(model)) }],
      });
      model.dispose!();
      return snapshots;
    };
    for (const name of ['sgd', 'adam'] as const) {
      const constant = await snapshotsPerEpoch(name);
      expect(constant[2], name).not.toEqual(constant[1]);
      // A rate too small to move float32 weights after epoch 0: they stay as epoch 0 left them.
      const frozen = await snapshotsPerEpoch(name, (epoch) => (epoch === 0 ? 0.1 : 1e-30));
      expect(frozen[0], name).toEqual(constant[0]);
      expect(frozen[2], name).toEqual(frozen[0]);
    }
    data.dispose();
  });
});

describe('frozen weights', () => {
  it("freeze: ['hidden/'] leaves those weights as they were and trains the others", async () => {
    const data = circlesData(32);
    const model = mlp(12);
    const before = await weightValues(model);
    await train({
      model,
      data,
      epochs: 2,
      batchSize: 16,
      optimizer: { name: 'adam', learningRate: 0.05 },
      freeze: ['hidden/'],
    });
    const after = await weightValues(model);
    expect(after['hidden/kernel']).toEqual(before['hidden/kernel']);
    expect(after['hidden/bias']).toEqual(before['hidden/bias']);
    expect(after['output/kernel']).not.toEqual(before['output/kernel']);
    model.dispose!();
    data.dispose();
  });

  it("a model's own `frozen` does the same, and the trainer's freeze adds to it", async () => {
    const data = circlesData(32);
    const own = mlp(13, 8, { frozen: ['output/kernel'] });
    const before = await weightValues(own);
    await train({ model: own, data, epochs: 1, batchSize: 16, optimizer: { name: 'sgd', learningRate: 0.5 } });
    const after = await weightValues(own);
    expect(after['output/kernel']).toEqual(before['output/kernel']);
    expect(after['hidden/kernel']).not.toEqual(before['hidden/kernel']);
    await train({
      model: own,
      data,
      epochs: 1,
      batchSize: 16,
      optimizer: { name: 'sgd', learningRate: 0.5 },
      freeze: ['hidden/kernel'],
    });
    const again = await weightValues(own);
    expect(again['output/kernel']).toEqual(after['output/kernel']);
    expect(again['hidden/kernel']).toEqual(after['hidden/kernel']);
    expect(again['hidden/bias']).not.toEqual(after['hidden/bias']);
    own.dispose!();
    data.dispose();
  });

  it('refuses a freeze pattern that matches no weight, suggesting the closest, and freezing everything', async () => {
    const data = circlesData(8);
    const model = mlp(14);
    const before = await weightValues(model);
    const error = await train({ model, data, epochs: 1, batchSize: 4, freeze: ['hiden/'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'NNKIT_CONFIG', key: 'freeze' });
    expect((error as Error).message).toContain("got 'hiden/', which matches none");
    expect((error as Error).message).toContain('hidden/kernel');
    // A name without the trailing '/' is an exact name, not a prefix.
    await expect(train({ model, data, epochs: 1, batchSize: 4, freeze: ['hidden'] })).rejects.toBeInstanceOf(ConfigError);
    await expect(train({ model, data, epochs: 1, batchSize: 4, freeze: ['hidden/', 'output/'] })).rejects.toThrow(
      /at least one weight to train/,
    );
    expect(await weightValues(model)).toEqual(before);
    model.dispose!();
    data.dispose();
  });

  it('resumes with the same frozen weights, and refuses optimizer state for weights that are frozen now', async () => {
    const data = circlesData(32);
    const dir = tempDir();
    const straight = mlp(15);
    await train({ model: straight, data, steps: 4, batchSize: 16, freeze: ['hidden/'], seed: 2 });
    const first = mlp(15);
    await train({ model: first, data, steps: 2, batchSize: 16, freeze: ['hidden/'], seed: 2, checkpoint: { dir } });
    const resumed = mlp(15);
    await train({
      model: resumed,
      data,
      steps: 4,
      batchSize: 16,
      freeze: ['hidden/'],
      seed: 2,
      checkpoint: { dir },
      resume: true,
    });
    expect(await weightValues(resumed)).toEqual(await weightValues(straight));

    // A checkpoint with Adam's moments for every weight cannot resume a run that freezes some of them.
    const unfrozenDir = tempDir();
    await train({ model: first, data, steps: 2, batchSize: 16, seed: 2, checkpoint: { dir: unfrozenDir } });
    const refused = mlp(15);
    const error = await train({
      model: refused,
      data,
      steps: 4,
      batchSize: 16,
      freeze: ['hidden/'],
      seed: 2,
      checkpoint: { dir: unfrozenDir },
      resume: true,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as Error).message).toMatch(/state for weights not trained now: .*hidden\/kernel\/m/);
    for (const model of [straight, first, resumed, refused]) model.dispose!();
    data.dispose();
  });
});
