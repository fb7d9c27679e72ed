// Checkpoints hold the weights and the optimizer's state by name: a resumed run must take the very same steps as one
// never stopped, whatever the optimizer and whatever order the model lists its weights in.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ShapeError, type OptimizerSpec, type TrainableModel } from '@nnkit/core';
import { trainableVariable } from '@nnkit/ops';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from './checkpoint-store.js';
import { MLP_WEIGHTS, circlesData, mlp, weightValues, type Mlp } from './mlp.fixture.js';
import { train } from './train.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'nnkit-optimizer-state-'));
const REVERSED = [...MLP_WEIGHTS].reverse();
const STEPS = 8;

/** Trains STEPS steps straight, and STEPS / 2 + a checkpoint + resume on a new model for the rest: both final weights. */
async function straightAndResumed(optimizer: OptimizerSpec, models: { first?: () => Mlp; resumed?: () => Mlp } = {}) {
  const data = circlesData(48);
  const common = { data, batchSize: 16, seed: 4, optimizer };
  const straight = mlp(21);
  await train({ ...common, model: straight, steps: STEPS });
  const dir = tempDir();
  const first = models.first?.() ?? mlp(21);
  await train({ ...common, model: first, steps: STEPS / 2, checkpoint: { dir } });
  const resumed = models.resumed?.() ?? mlp(77); // other initial weights: all must come from the checkpoint
  const result = await train({ ...common, model: resumed, steps: STEPS, checkpoint: { dir }, resume: true });
  expect(result.resumedFrom).toBe(STEPS / 2);
  const values = { straight: await weightValues(straight), resumed: await weightValues(resumed), dir };
  for (const model of [straight, first, resumed]) model.dispose!();
  data.dispose();
  return values;
}

describe('optimizer state in checkpoints', () => {
  const optimizers: OptimizerSpec[] = [
    { name: 'sgd', learningRate: 0.1 },
    { name: 'momentum', learningRate: 0.05, momentum: 0.9 },
    { name: 'rmsprop', learningRate: 0.01 },
    { name: 'rmsprop', learningRate: 0.01, decay: 0.8, momentum: 0.5 },
    { name: 'adagrad', learningRate: 0.1 },
    { name: 'adam', learningRate: 0.02 },
  ];
  for (const optimizer of optimizers) {
    it(`resumes ${JSON.stringify(optimizer)} to the bit-identical weights of a run never stopped`, async () => {
      const before = tf.memory().numTensors;
      const { straight, resumed } = await straightAndResumed(optimizer);
      expect(resumed).toEqual(straight);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it("saves every slot under the stable weight name, not under tfjs's process-local variable name", async () => {
    const { dir } = await straightAndResumed({ name: 'adam', learningRate: 0.02 });
    const { header } = readCheckpoint(join(dir, `step-${String(STEPS / 2).padStart(9, '0')}.ckpt`));
    expect(header.modelSpecs.map((s) => s.name)).toEqual([...MLP_WEIGHTS]);
    const names = header.optimizerSpecs.map((s) => s.name);
    for (const weight of MLP_WEIGHTS) expect(names).toEqual(expect.arrayContaining([`${weight}/m`, `${weight}/v`]));
    expect(names).toEqual(expect.arrayContaining(['nnkit/accBeta1', 'nnkit/accBeta2']));
  });
});

describe('weights matched by name, not by position', () => {
  for (const name of ['adam', 'momentum', 'rmsprop'] as const) {
    it(`resumes ${name} from a checkpoint written by a model that lists its weights in another order`, async () => {
      const optimizer = { name, learningRate: 0.02 };
      // Written reversed, read in the usual order; then written in the usual order, read reversed.
      const one = await straightAndResumed(optimizer, { first: () => mlp(21, 8, { order: REVERSED }) });
      expect(one.resumed).toEqual(one.straight);
      const other = await straightAndResumed(optimizer, { resumed: () => mlp(77, 8, { order: REVERSED }) });
      expect(other.resumed).toEqual(other.straight);
    });
  }

  it('refuses a checkpoint that lacks a weight of the model, or holds one the model lacks, naming them', async () => {
    const data = circlesData(32);
    const dir = tempDir();
    const model = mlp(22);
    await train({ model, data, steps: 2, batchSize: 16, checkpoint: { dir } });
    /** Resumes from that checkpoint with a model of other weights: the error it refuses with. */
    const resumeWith = (other: TrainableModel) =>
      train({ model: other, data, steps: 4, batchSize: 16, checkpoint: { dir }, resume: true }).catch((e: unknown) => e);

    // The model has a weight the checkpoint lacks.
    const extra = trainableVariable(tf.zeros([3]));
    const bigger: TrainableModel = { ...model, weights: { ...model.weights, 'extra/bias': extra } };
    const before = await weightValues(model);
    const missing = await resumeWith(bigger);
    expect(missing).toBeInstanceOf(ShapeError);
    expect((missing as Error).message).toMatch(/expects the weights .*'extra\/bias'.*, got none for 'extra\/bias'/);

    // The checkpoint has a weight the model lacks.
    const { 'output/kernel': _dropped, ...fewer } = model.weights;
    const smaller: TrainableModel = { ...model, weights: fewer };
    const unexpected = await resumeWith(smaller);
    expect(unexpected).toBeInstanceOf(ShapeError);
    expect((unexpected as Error).message).toContain("got unexpected 'output/kernel'");
    // Refused before anything was assigned.
    expect(await weightValues(model)).toEqual(before);
    extra.dispose();
    model.dispose!();
    data.dispose();
  });
});
