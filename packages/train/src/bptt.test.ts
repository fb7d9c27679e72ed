import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@nnkit/core';
import { describe, expect, it } from 'vitest';
import { exampleBatches } from './batches.js';
import { MAX_LOSS_PER_TOKEN } from './bptt-mode.js';
import { TrainingDivergedError } from './errors.js';
import { evaluateStream } from './evaluate-stream.js';
import { weightValues } from './mlp.fixture.js';
import { delayedCopyStream, rnnStreamModel } from './rnn-stream.fixture.js';
import { train } from './train.js';

describe('train({ bptt }): truncated BPTT over long streams (Williams & Peng)', () => {
  it('updates every k1 steps and carries the state across windows, leaving no tensor behind', async () => {
    const data = delayedCopyStream(4, 40, 2, 1);
    const seen = { initialStates: [] as number[] };
    const model = rnnStreamModel(1, 2, 6, { seen });
    const before = tf.memory().numTensors;
    const result = await train({ model, data, bptt: { k1: 5, k2: 10 }, epochs: 2 });
    expect(result.steps).toBe(2 * 8);
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2]);
    // Each epoch starts from zeros; every later window starts from a carried, non-zero state.
    expect(seen.initialStates[0]).toBe(0);
    expect(seen.initialStates[1]).toBe(0); // k2 − k1 = 5: the second window still starts at step 0
    expect(seen.initialStates.slice(2, 8).every((s) => s > 0)).toBe(true);
    expect(seen.initialStates[8]).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose!();
    tf.dispose([data.xs, data.ys]);
  });

  it('learns to recall the bit read 2 steps earlier when gradients reach back that far', async () => {
    const data = delayedCopyStream(16, 200, 2, 2);
    const model = rnnStreamModel(2, 2, 12);
    const stepLosses: number[] = [];
    const result = await train({
      model,
      data,
      bptt: { k1: 4, k2: 8 },
      epochs: 3,
      optimizer: { name: 'adam', learningRate: 0.03 },
      callbacks: [{ onStep: ({ metrics }) => void stepLosses.push(metrics.loss!) }],
    });
    expect(stepLosses[0]).toBeGreaterThan(0.6); // chance: ln 2 ≈ 0.693
    expect(result.history.at(-1)!.metrics.loss).toBeLessThan(0.1);
    model.dispose!();
    tf.dispose([data.xs, data.ys]);
  });

  it('reports each epoch the mean loss per token: Σ sum / Σ weight over its windows', async () => {
    const data = delayedCopyStream(3, 24, 1, 6);
    const model = rnnStreamModel(6, 2, 4);
    const steps: number[] = [];
    // sgd with a rate too small to move float32 weights: every window's loss is measured on the same weights.
    const result = await train({
      model,
      data,
      bptt: { k1: 6, k2: 6 },
      epochs: 1,
      optimizer: { name: 'sgd', learningRate: 1e-30 },
      callbacks: [{ onStep: ({ metrics }) => void steps.push(metrics.loss!) }],
    });
    expect(steps).toHaveLength(4);
    // Windows of equal weight (3 streams × 6 steps): the epoch's loss is their mean, which is the streams' mean loss.
    expect(result.history[0]!.metrics.loss).toBeCloseTo(steps.reduce((a, b) => a + b, 0) / 4, 6);
    expect(result.history[0]!.metrics.loss).toBeCloseTo(await evaluateStream(model, data, 6), 5);
    model.dispose!();
    tf.dispose([data.xs, data.ys]);
  });

  it('reports val_loss on validation streams after every epoch, as evaluateStream measures it', async () => {
    const data = delayedCopyStream(4, 40, 2, 7);
    const validation = delayedCopyStream(2, 30, 2, 8);
    const model = rnnStreamModel(7, 2, 6);
    const before = tf.memory().numTensors;
    const result = await train({
      model,
      data,
      validation,
      bptt: { k1: 5, k2: 10 },
      epochs: 3,
      optimizer: { name: 'adam', learningRate: 0.03 },
    });
    expect(result.history).toHaveLength(3);
    for (const { metrics } of result.history) expect(Number.isFinite(metrics.val_loss)).toBe(true);
    expect(result.history.at(-1)!.metrics.val_loss).toBeCloseTo(await evaluateStream(model, validation), 6);
    expect(result.history.at(-1)!.metrics.val_loss).toBeLessThan(result.history[0]!.metrics.val_loss!);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose!();
    tf.dispose([data.xs, data.ys, validation.xs, validation.ys]);
  });

  it('stops at a NaN loss before the bad update with TrainingDivergedError, freeing the carried states', async () => {
    const data = delayedCopyStream(4, 40, 2, 9);
    const model = rnnStreamModel(9, 2, 6, { poisonAtCall: 5 });
    const before = tf.memory().numTensors;
    const atStep: Record<string, number[]>[] = [];
    const error = await train({
      model,
      data,
      bptt: { k1: 5, k2: 10 },
      epochs: 2,
      optimizer: { name: 'adam', learningRate: 0.01 },
      callbacks: [{ onStep: async () => void atStep.push(await weightValues(model)) }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as TrainingDivergedError).step).toBe(5);
    expect((error as Error).message).toContain('got NaN at step 5');
    // The weights are those of step 4.
    expect(await weightValues(model)).toEqual(atStep[3]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose!();
    tf.dispose([data.xs, data.ys]);
  });

  it('stops when the loss per token passes ln(Number.MAX_VALUE), where perplexity is infinite, though the loss is finite', async () => {
    const data = delayedCopyStream(4, 40, 2, 9);
    const validation = delayedCopyStream(2, 30, 2, 10);
    const model = rnnStreamModel(9, 2, 6);
    const before = tf.memory().numTensors;
    // Clipped gradients keep every loss finite; a learning rate of 1e6 still blows the readout up.
    const error = await train({
      model,
      data,
      validation,
      bptt: { k1: 5, k2: 10 },
      epochs: 2,
      optimizer: { name: 'sgd', learningRate: 1e6 },
      clip: { norm: 5 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    const { loss, step } = error as TrainingDivergedError;
    expect(Number.isFinite(loss) && loss > MAX_LOSS_PER_TOKEN).toBe(true);
    expect((error as Error).message).toContain(
      `expects a loss below 709.78 nats per token (past it the perplexity exp(loss) is infinite), got ${loss} at step ${step}`,
    );
    expect(tf.memory().numTensors).toBe(before);
    model.dispose!();
    tf.dispose([data.xs, data.ys, validation.xs, validation.ys]);
  });

  it('refuses k1 > k2 and a stream shorter than k1', async () => {
    const data = delayedCopyStream(2, 6, 1, 3);
    const model = rnnStreamModel(3, 2, 4);
    await expect(train({ model, data, bptt: { k1: 4, k2: 2 }, epochs: 1 })).rejects.toThrow(/1 ≤ k1 ≤ k2, got k1 = 4, k2 = 2/);
    await expect(train({ model, data, bptt: { k1: 8, k2: 8 }, epochs: 1 })).rejects.toThrow(/at least k1 = 8 steps, got 6/);
    model.dispose!();
    tf.dispose([data.xs, data.ys]);
  });

  it('follows the learning-rate schedule, and refuses a model that is not a StreamModel', async () => {
    const data = delayedCopyStream(2, 20, 1, 4);
    const model = rnnStreamModel(4, 2, 4);
    const rates: number[] = [];
    const onEpoch = (epoch: number) => (rates.push(epoch), 0.1 / 2 ** epoch);
    const result = await train({
      model,
      data,
      bptt: { k1: 5, k2: 5 },
      epochs: 2,
      optimizer: { name: 'sgd', learningRate: 1 },
      learningRate: onEpoch,
    });
    expect(result.steps).toBe(8);
    expect(rates).toEqual([0, 1]); // the schedule is asked at each epoch's start
    const notStream = { ...model, runWindow: undefined } as unknown as typeof model;
    await expect(train({ model: notStream, data, bptt: { k1: 5, k2: 5 }, epochs: 1 })).rejects.toThrow(/expects a StreamModel/);
    model.dispose!();
    tf.dispose([data.xs, data.ys]);
  });

  it('refuses options that do not apply to streams, each with a ConfigError that names it', async () => {
    const data = delayedCopyStream(2, 20, 1, 4);
    const model = rnnStreamModel(4, 2, 4);
    const bptt = { k1: 5, k2: 5 };
    const before = tf.memory().numTensors;
    const refusals: [string, object, RegExp][] = [
      ['batchSize', { batchSize: 8, epochs: 1 }, /with bptt expects no batchSize/],
      ['shuffle', { shuffle: true, epochs: 1 }, /with bptt expects no shuffle/],
      ['steps', { steps: 3 }, /with bptt expects no steps.*give epochs/],
      ['everySteps', { epochs: 1, checkpoint: { dir: '/tmp/nnkit-never-written', everySteps: 2 } }, /expects no checkpoint\.everySteps/],
      ['batch source', { data: exampleBatches(data, { batchSize: 2 }), epochs: 1 }, /expects token streams .* got a BatchSource/],
      ['batch source validation', { validation: exampleBatches(data, { batchSize: 2 }), epochs: 1 }, /got a BatchSource/],
    ];
    for (const [what, extra, message] of refusals) {
      const error = await train({ model, data, bptt, ...extra }).catch((e: unknown) => e);
      expect(error, what).toBeInstanceOf(ConfigError);
      expect((error as Error).message, what).toMatch(message);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose!();
    tf.dispose([data.xs, data.ys]);
  });
});

describe('train({ bptt }) checkpoints', () => {
  it('writes one per epoch and resumes to the same weights as a run never stopped', async () => {
    const data = delayedCopyStream(4, 60, 2, 5);
    const options = {
      data,
      bptt: { k1: 6, k2: 12 },
      optimizer: { name: 'adam' as const, learningRate: 0.02 },
      clip: { norm: 1 },
    };

    const straight = rnnStreamModel(5, 2, 6);
    const whole = await train({ ...options, model: straight, epochs: 3 });

    const dir = mkdtempSync(join(tmpdir(), 'nnkit-stream-ckpt-'));
    const first = rnnStreamModel(5, 2, 6);
    await train({ ...options, model: first, epochs: 2, checkpoint: { dir } });
    expect(readdirSync(dir).sort()).toEqual(['best.ckpt', 'step-000000010.ckpt', 'step-000000020.ckpt']);
    const resumed = rnnStreamModel(99, 2, 6); // different starting weights: all must come from the checkpoint
    const result = await train({ ...options, model: resumed, epochs: 3, checkpoint: { dir }, resume: true });
    expect(result).toMatchObject({ steps: 30, resumedFrom: 20 });
    expect(result.history).toEqual(whole.history);
    expect(await weightValues(resumed)).toEqual(await weightValues(straight));
    for (const model of [straight, first, resumed]) model.dispose!();
    tf.dispose([data.xs, data.ys]);
  });
});
