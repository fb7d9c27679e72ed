import { mkdtempSync, readdirSync, truncateSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, DataError, silentProgress, type ProgressReporter } from '@nnkit/core';
import { describeEachBackend } from '@nnkit/core/testing';
import { describe, expect, it } from 'vitest';
import { earlyStopping } from './callbacks.js';
import { CheckpointStore, readCheckpoint } from './checkpoint-store.js';
import { TrainingDivergedError } from './errors.js';
import { circlesData, mlp, weightValues } from './mlp.fixture.js';
import { train } from './train.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'nnkit-train-'));

describeEachBackend('train', () => {
  it('learns a two-class problem and reports validation metrics each epoch', async () => {
    const data = circlesData(200);
    const model = mlp(1, 16);
    const result = await train({ model, data, optimizer: { name: 'adam', learningRate: 0.05 }, epochs: 30, batchSize: 32 });
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
    const runs: number[][][] = [];
    const counts: number[] = [];
    for (let run = 0; run < 2; run++) {
      const model = mlp(7);
      await train({
        model, data, epochs: 2, batchSize: 16, seed: 3,
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
    await train({ model, data, optimizer: { name: 'sgd', learningRate: 1 }, steps: 1, batchSize: 32, clip: { norm: 0.01 }, shuffle: false });
    const after = await weightValues(model);
    const change = Math.sqrt(after.flat().reduce((sum, v, i) => sum + (v - before.flat()[i]!) ** 2, 0));
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
    expect((await weightValues(model)).flat().every(Number.isFinite)).toBe(true);
    model.dispose!();
    data.dispose();
  });

  it('stops at an infinite gradient even when the loss is finite, before the update', async () => {
    const w = tf.variable(tf.scalar(1));
    // √|w − 1| is 0 at w = 1, where its slope is infinite.
    const model = { trainableWeights: [w], loss: () => tf.sqrt(tf.abs(tf.sub(w, 1))) as tf.Scalar, predict: (x: tf.Tensor) => x };
    const data = { xs: tf.zeros([4, 1]), ys: tf.zeros([4, 1]) };
    const error = await train({ model, data, steps: 1, batchSize: 4 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as Error).message).toMatch(/expects finite gradients, got a gradient norm of (NaN|Infinity) at step 1 \(loss 0\)/);
    expect(await w.data()).toEqual(new Float32Array([1]));
    tf.dispose([w, data.xs, data.ys]);
  });

  it('stops early when validation loss stops improving', async () => {
    const data = circlesData(64);
    const model = mlp(4);
    // A learning rate this small barely moves: patience runs out.
    const result = await train({ model, data, optimizer: { name: 'sgd', learningRate: 1e-9 }, epochs: 50, batchSize: 64, callbacks: [earlyStopping({ patience: 2 })] });
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
    await expect(train({ model, data, epochs: 1, optimizer: { name: 'adamw' as never, learningRate: 1 } })).rejects.toThrow(/among sgd, momentum/);
    model.dispose!();
    data.dispose();
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
});

describe('checkpoints', () => {
  it('keeps the last N and the best, each intact', async () => {
    const data = circlesData(64);
    const dir = tempDir();
    const model = mlp(8);
    await train({ model, data, epochs: 5, batchSize: 16, checkpoint: { dir, keep: 2 } });
    expect(readdirSync(dir).sort()).toEqual(['best.ckpt', 'step-000000016.ckpt', 'step-000000020.ckpt']);
    expect(readCheckpoint(join(dir, 'step-000000020.ckpt')).header).toMatchObject({ step: 20, epoch: 5, batchInEpoch: 0 });
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
      model: second, data, steps: 12, batchSize: 16, seed: 5, checkpoint: { dir, everySteps: 1, keep: 10 }, resume: true,
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

describe('learning-rate schedule', () => {
  it('sets the rate at the start of each epoch, for optimizers that cache it (sgd) and those that do not (adam)', async () => {
    const data = circlesData(32);
    const snapshotsPerEpoch = async (name: 'sgd' | 'adam', schedule?: (epoch: number) => number) => {
      const model = mlp(11);
      const snapshots: number[][][] = [];
      await train({
        model, data, epochs: 3, batchSize: 16, optimizer: { name, learningRate: 0.1 },
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
