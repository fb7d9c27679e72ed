import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, type SupervisedData } from '@nnkit/core';
import { describe, expect, it } from 'vitest';
import { restoreBestWeights } from './best-weights.js';
import type { Callback, TrainingLog } from './callbacks.js';
import { modelCheckpoint } from './checkpoint-callback.js';
import { learningRateSchedule, reduceOnPlateau, stepDecay } from './learning-rate.js';
import { circlesData, mlp, weightValues } from './mlp.fixture.js';
import { train } from './train.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'nnkit-callbacks-'));

/** Records the optimizer's rate at every step, through the run a callback is given. */
function rateRecorder(): Callback & { rates: number[] } {
  const rates: number[] = [];
  let rate = () => NaN;
  return {
    rates,
    onTrainBegin(run) {
      rate = () => run.learningRate;
    },
    onStep() {
      rates.push(rate());
    },
  };
}

/** Feeds fixed values of `val_loss` to a callback's onEpochEnd, as the trainer would after each epoch. */
function epochsOf(values: readonly number[]): TrainingLog[] {
  return values.map((value, i) => ({ epoch: i + 1, step: i + 1, metrics: { val_loss: value } }));
}

describe('callbacks', () => {
  it('onStep and onEpochEnd hear one shape of log: epoch, step, metrics', async () => {
    const data = circlesData(32);
    const model = mlp(1);
    const logs: { hook: string; log: TrainingLog }[] = [];
    await train({
      model,
      data,
      epochs: 2,
      batchSize: 16,
      callbacks: [
        {
          onStep: (log) => void logs.push({ hook: 'step', log }),
          onEpochEnd: (log) => void logs.push({ hook: 'epoch', log }),
        },
      ],
    });
    expect(logs.map(({ hook, log }) => `${hook} ${log.epoch} ${log.step}`)).toEqual([
      'step 1 1',
      'step 1 2',
      'epoch 1 2',
      'step 2 3',
      'step 2 4',
      'epoch 2 4',
    ]);
    expect(Object.keys(logs[0]!.log.metrics)).toEqual(['loss', 'gradientNorm']);
    expect(Object.keys(logs[2]!.log.metrics)).toEqual(expect.arrayContaining(['loss', 'val_loss', 'val_accuracy']));
    model.dispose!();
    data.dispose();
  });

  it('stepDecay multiplies the starting rate by the factor after `after` epochs, then every `every`', async () => {
    const data = circlesData(16);
    const model = mlp(2);
    const recorder = rateRecorder();
    await train({
      model,
      data,
      epochs: 6,
      batchSize: 16,
      optimizer: { name: 'sgd', learningRate: 0.8 },
      callbacks: [stepDecay({ after: 2, every: 2, factor: 0.5 }), recorder],
    });
    expect(recorder.rates).toEqual([0.8, 0.8, 0.4, 0.4, 0.2, 0.2]);
    expect(() => stepDecay({ factor: 0 })).toThrow(ConfigError);
    model.dispose!();
    data.dispose();
  });

  it('the learningRate option is learningRateSchedule: the same rates, the same weights', async () => {
    const data = circlesData(32);
    const runs: Record<string, number[]>[] = [];
    for (const schedule of [
      { learningRate: (epoch: number) => 0.1 * 0.8 ** epoch },
      { callbacks: [learningRateSchedule((epoch) => 0.1 * 0.8 ** epoch)] },
      { callbacks: [stepDecay({ factor: 0.8 })] },
    ]) {
      const model = mlp(3);
      await train({
        model,
        data,
        epochs: 3,
        batchSize: 16,
        seed: 1,
        optimizer: { name: 'sgd', learningRate: 0.1 },
        ...schedule,
      });
      runs.push(await weightValues(model));
      model.dispose!();
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
    data.dispose();
  });

  it('reduceOnPlateau halves the rate after an epoch that gains less than minImprovement on the best (Mikolov: 1%)', () => {
    const plateau = reduceOnPlateau({ minImprovement: 0.01, baseline: 10 });
    const run = {
      learningRate: 1,
      model: {
        weights: {},
        loss: () => {
          throw new Error('unused');
        },
      },
      resumed: false,
      log: () => {},
      bestCheckpointWeights: async () => undefined,
    };
    void plateau.onTrainBegin!(run);
    const rates: number[] = [];
    // 9 (−10%: progress), 8.95 (−0.6%: halve), 9.5 (worse: halve), 7 (progress), 7 (equal: halve)
    for (const log of epochsOf([9, 8.95, 9.5, 7, 7])) {
      void plateau.onEpochEnd!(log);
      rates.push(run.learningRate);
    }
    expect(rates).toEqual([1, 0.5, 0.25, 0.25, 0.125]);
    expect(plateau.learningRate).toBe(0.125);
    const patient = reduceOnPlateau({ patience: 1 });
    const other = { ...run, learningRate: 1 };
    void patient.onTrainBegin!(other);
    for (const log of epochsOf([5, 6, 6, 4, 5])) void patient.onEpochEnd!(log);
    expect(other.learningRate).toBe(0.5); // two epochs without progress after 5; the one after 4 is within patience
  });

  it("restoreBestWeights ends with the best epoch's weights, and with restoreOnWorse goes back after every worse epoch", async () => {
    const data = circlesData(32);
    const before = tf.memory().numTensors;
    // A validation loss made up per epoch: the second epoch is the best.
    const made: Callback = {
      onEpochEnd: (log) => void ((log.metrics as Record<string, number>).made = [3, 1, 2, 4][log.epoch - 1]!),
    };
    const atEpoch: Record<string, number[]>[] = [];
    const model = mlp(4);
    const best = restoreBestWeights({ monitor: 'made' });
    await train({
      model,
      data,
      epochs: 4,
      batchSize: 16,
      optimizer: { name: 'sgd', learningRate: 0.5 },
      callbacks: [made, best, { onEpochEnd: async () => void atEpoch.push(await weightValues(model)) }],
    });
    expect(best.bestEpoch).toBe(2);
    expect(best.best).toBe(1);
    expect(await weightValues(model)).toEqual(atEpoch[1]);
    model.dispose!();

    const eager = mlp(4);
    const back = restoreBestWeights({ monitor: 'made', restoreOnWorse: true });
    const seen: Record<string, number[]>[] = [];
    await train({
      model: eager,
      data,
      epochs: 3,
      batchSize: 16,
      optimizer: { name: 'sgd', learningRate: 0.5 },
      callbacks: [made, back, { onEpochEnd: async () => void seen.push(await weightValues(eager)) }],
    });
    expect(seen[2]).toEqual(seen[1]); // epoch 3 (2, worse than 1) went back to epoch 2's weights at once
    eager.dispose!();
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });

  it('keeps the plateau counter, the rate and the best epoch in checkpoints, so that a resumed run ends as one never stopped', async () => {
    const data: SupervisedData = circlesData(64);
    const made: Callback = {
      onEpochEnd: (log) => void ((log.metrics as Record<string, number>).made = [3, 1, 2, 2.5, 0.5, 4][log.epoch - 1]!),
    };
    const callbacks = () => [made, reduceOnPlateau({ monitor: 'made' }), restoreBestWeights({ monitor: 'made' })];
    const options = { data, batchSize: 16, seed: 3, optimizer: { name: 'sgd' as const, learningRate: 0.3 } };
    const straight = mlp(5);
    await train({ model: straight, ...options, epochs: 6, callbacks: callbacks() });
    const dir = tempDir();
    const first = mlp(5);
    await train({ model: first, ...options, epochs: 3, callbacks: callbacks(), checkpoint: { dir, monitor: 'made' } });
    const resumed = mlp(5);
    const plateau = reduceOnPlateau({ monitor: 'made' });
    const best = restoreBestWeights({ monitor: 'made' });
    await train({
      model: resumed,
      ...options,
      epochs: 6,
      callbacks: [made, plateau, best],
      checkpoint: { dir, monitor: 'made' },
      resume: true,
    });
    expect(plateau.learningRate).toBe(0.3 / 8); // epochs 3, 4 and 6 were no better
    expect(best.bestEpoch).toBe(5);
    expect(await weightValues(resumed)).toEqual(await weightValues(straight));
    for (const m of [straight, first, resumed]) m.dispose!();
    data.dispose();
  });

  it('modelCheckpoint is the checkpoint and resume options: a run resumed through it ends as one never stopped', async () => {
    const data = circlesData(64);
    const options = { data, batchSize: 16, seed: 2, optimizer: { name: 'adam' as const, learningRate: 0.05 } };
    const straight = mlp(8);
    await train({ model: straight, ...options, epochs: 3 });
    const dir = tempDir();
    const first = mlp(8);
    const stopped = await train({ model: first, ...options, epochs: 2, callbacks: [modelCheckpoint({ dir })] });
    expect(stopped.lastCheckpoint).toMatch(/step-000000008\.ckpt$/);
    const resumed = mlp(8);
    const result = await train({
      model: resumed,
      ...options,
      epochs: 3,
      callbacks: [modelCheckpoint({ dir }, { resume: true })],
    });
    expect(result.resumedFrom).toBe(8);
    expect(await weightValues(resumed)).toEqual(await weightValues(straight));
    await expect(
      train({ model: resumed, ...options, epochs: 1, checkpoint: { dir }, callbacks: [modelCheckpoint({ dir })] }),
    ).rejects.toThrow(/both the checkpoint \(or resume\) option and a modelCheckpoint callback/);
    for (const m of [straight, first, resumed]) m.dispose!();
    data.dispose();
  });

  it('refuses two callbacks with state under one name', async () => {
    const data = circlesData(16);
    const model = mlp(6);
    await expect(train({ model, data, epochs: 1, callbacks: [stepDecay(), stepDecay()] })).rejects.toThrow(
      /distinct names, got two named 'stepDecay'/,
    );
    model.dispose!();
    data.dispose();
  });
});
