import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { delayedCopyStream, rnnStreamModel } from './rnn-stream.fixture.js';
import { trainStream } from './train-stream.js';
import { train } from './train.js';

describe('trainStream: truncated BPTT over a long stream (Williams & Peng)', () => {
  it('updates every k1 steps and carries the state across windows, leaving no tensor behind', async () => {
    const data = delayedCopyStream(4, 40, 2, 1);
    const seen = { initialStates: [] as number[] };
    const model = rnnStreamModel(1, 2, 6, seen);
    const before = tf.memory().numTensors;
    const result = await trainStream({ model, data, bptt: { k1: 5, k2: 10 }, epochs: 2 });
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
    const result = await trainStream({
      model, data, bptt: { k1: 4, k2: 8 }, epochs: 3, optimizer: { name: 'adam', learningRate: 0.03 },
      callbacks: [{ onStep: (_, loss) => void stepLosses.push(loss) }],
    });
    expect(stepLosses[0]).toBeGreaterThan(0.6); // chance: ln 2 ≈ 0.693
    expect(result.history.at(-1)!.metrics.loss).toBeLessThan(0.1);
    model.dispose!();
    tf.dispose([data.xs, data.ys]);
  });

  it('refuses k1 > k2 and a stream shorter than k1', async () => {
    const data = delayedCopyStream(2, 6, 1, 3);
    const model = rnnStreamModel(3, 2, 4);
    await expect(trainStream({ model, data, bptt: { k1: 4, k2: 2 }, epochs: 1 })).rejects.toThrow(/1 ≤ k1 ≤ k2, got k1 = 4, k2 = 2/);
    await expect(trainStream({ model, data, bptt: { k1: 8, k2: 8 }, epochs: 1 })).rejects.toThrow(/at least k1 = 8 steps, got 6/);
    model.dispose!();
    tf.dispose([data.xs, data.ys]);
  });
});

describe('train({ bptt })', () => {
  it('hands a StreamModel to trainStream, and refuses a model that is not one', async () => {
    const data = delayedCopyStream(2, 20, 1, 4);
    const model = rnnStreamModel(4, 2, 4);
    const rates: number[] = [];
    const onEpoch = (epoch: number) => (rates.push(epoch), 0.1 / 2 ** epoch);
    const result = await train({ model, data, bptt: { k1: 5, k2: 5 }, epochs: 2, optimizer: { name: 'sgd', learningRate: 1 }, learningRate: onEpoch });
    expect(result.steps).toBe(8);
    expect(rates).toEqual([0, 1]); // the schedule is asked at each epoch's start
    const notStream = { ...model, runWindow: undefined } as unknown as typeof model;
    await expect(train({ model: notStream, data, bptt: { k1: 5, k2: 5 }, epochs: 1 })).rejects.toThrow(/expects a StreamModel/);
    await expect(train({ model, data, bptt: { k1: 5, k2: 5 }, epochs: 1, checkpoint: { dir: '/tmp/x', everySteps: 2 } })).rejects.toThrow(/no steps or checkpoint.everySteps/);
    model.dispose!();
    tf.dispose([data.xs, data.ys]);
  });
});

describe('trainStream checkpoints', () => {
  it('writes one per epoch and resumes to the same weights as a run never stopped', async () => {
    const data = delayedCopyStream(4, 60, 2, 5);
    const options = { data, bptt: { k1: 6, k2: 12 }, optimizer: { name: 'adam' as const, learningRate: 0.02 }, clip: { norm: 1 } };
    const weightsOf = (model: ReturnType<typeof rnnStreamModel>) => Promise.all(model.trainableWeights.map((w) => w.data()));

    const straight = rnnStreamModel(5, 2, 6);
    await trainStream({ ...options, model: straight, epochs: 3 });

    const dir = mkdtempSync(join(tmpdir(), 'nnkit-stream-ckpt-'));
    const first = rnnStreamModel(5, 2, 6);
    await trainStream({ ...options, model: first, epochs: 2, checkpoint: { dir } });
    expect(readdirSync(dir).sort()).toEqual(['best.ckpt', 'step-000000010.ckpt', 'step-000000020.ckpt']);
    const resumed = rnnStreamModel(99, 2, 6); // different starting weights: all must come from the checkpoint
    const result = await trainStream({ ...options, model: resumed, epochs: 3, checkpoint: { dir }, resume: true });
    expect(result).toMatchObject({ steps: 30, resumedFrom: 20 });
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(await weightsOf(resumed)).toEqual(await weightsOf(straight));
    for (const model of [straight, first, resumed]) model.dispose!();
    tf.dispose([data.xs, data.ys]);
  });
});
