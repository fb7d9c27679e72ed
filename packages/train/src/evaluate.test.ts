import * as tf from '@tensorflow/tfjs';
import type { Batch, BatchSource, Metric, TrainableModel } from '@nnkit/core';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { perplexityMetric } from './metrics.js';
import { train } from './train.js';

/**
 * A model of one weight w whose loss is the squared error (x − w)² summed over the real (masked) entries of a batch,
 * with their count as its weight (a tensor), and a metric `hits` (entries within 1 of w) whose weight is a number.
 */
function meanModel(w0: number): TrainableModel & { w: tf.Variable } {
  const w = tf.variable(tf.scalar(w0));
  return {
    w,
    weights: { w },
    loss: ({ inputs, mask }) =>
      tf.tidy(() => ({
        sum: tf.sum(tf.mul(tf.square(tf.sub(inputs!, w)), mask!)) as tf.Scalar,
        weight: tf.sum(mask!) as tf.Scalar,
      })),
    metrics: ({ inputs }) => ({
      hits: {
        sum: tf.tidy(() => tf.sum(tf.cast(tf.lessEqual(tf.abs(tf.sub(inputs!, w)), 1), 'float32')) as tf.Scalar),
        weight: inputs!.size,
      },
    }),
    dispose: () => w.dispose(),
  };
}

/** Batches of different sizes and padding: `rows[i]` are batch i's real entries, padded to `width` with junk. */
function paddedSource(rows: number[][], width: number): BatchSource {
  return {
    batchesPerEpoch: rows.length,
    unit: 'tok',
    unitsPerEpoch: rows.flat().length,
    batch: (_epoch, index) => {
      const real = rows[index]!;
      const inputs = [...real, ...Array(width - real.length).fill(1000)];
      return { inputs: tf.tensor1d(inputs), mask: tf.tensor1d(inputs.map((_, i) => (i < real.length ? 1 : 0))) };
    },
  };
}

describe('evaluate', () => {
  it('weights every batch by its loss weight: Σ sum / Σ weight, not the mean of batch means', async () => {
    const model = meanModel(0);
    // Batch 0: one entry at 4 (loss 16); batch 1: three entries at 0 (loss 0). Per entry: 16 / 4 = 4.
    // The mean of the batch means would be (16 + 0) / 2 = 8; the padding (1000s) must count for nothing.
    const source = paddedSource([[4], [0, 0, 0]], 5);
    const before = tf.memory().numTensors;
    const result = await evaluate(model, source);
    expect(result.loss).toBeCloseTo(4, 6);
    expect(result.loss).not.toBeCloseTo(8, 1);
    // hits has a number weight: every entry of every batch, padding included (5 + 5), 3 of them within 1 of w.
    expect(result.hits).toBeCloseTo(3 / 10, 6);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose!();
  });

  it('weights plain examples the same way when the last batch is smaller', async () => {
    const w = tf.variable(tf.scalar(0));
    // The loss per example is x²; batches of 2: [0, 0], [0, 0], [3] → Σ / 5 = 9 / 5, not (0 + 0 + 9) / 3.
    const model: TrainableModel = {
      weights: { w },
      loss: ({ inputs }) => ({
        sum: tf.tidy(() => tf.sum(tf.square(tf.sub(inputs!, w))) as tf.Scalar),
        weight: inputs!.shape[0]!,
      }),
    };
    const data = { xs: tf.tensor2d([0, 0, 0, 0, 3], [5, 1]), ys: tf.zeros([5, 1]) };
    const result = await evaluate(model, data, { batchSize: 2 });
    expect(result.loss).toBeCloseTo(9 / 5, 6);
    tf.dispose([w, data.xs, data.ys]);
  });

  it('gives a Metric accumulator every batch and its loss as numbers: perplexity is exp(Σ sum / Σ weight)', async () => {
    const model = meanModel(0);
    const source = paddedSource([[1], [0.5, 0.5, 0.5]], 4);
    const seen: { rows: number; loss: { sum: number; weight: number } }[] = [];
    const recorder: Metric = {
      name: 'recorder',
      start: () => ({
        add: async (batch: Batch, _model, loss) => {
          const rows = batch.mask!.sum();
          seen.push({ rows: (await rows.data())[0]!, loss: { ...loss } });
          rows.dispose();
        },
        result: () => seen.length,
      }),
    };
    const before = tf.memory().numTensors;
    const result = await evaluate(model, source, { metrics: [perplexityMetric(), recorder] });
    // Σ sum = 1 + 3 × 0.25 = 1.75 over Σ weight = 4.
    expect(result.perplexity).toBeCloseTo(Math.exp(1.75 / 4), 6);
    expect(result.perplexity).toBeCloseTo(Math.exp(result.loss!), 10);
    expect(result.recorder).toBe(2);
    expect(seen.map((s) => s.rows)).toEqual([1, 3]);
    expect(seen[0]!.loss.sum).toBeCloseTo(1, 6);
    expect(seen[1]!.loss).toMatchObject({ weight: 3 });
    expect(tf.memory().numTensors).toBe(before); // evaluate frees the batches and the losses
    model.dispose!();
  });

  it('is what train reports as val_loss and val_<metric> after each epoch', async () => {
    const model = meanModel(0);
    const validation = paddedSource([[4], [0, 0, 0]], 5);
    const trainData = paddedSource([[1, 2], [3]], 3);
    // sgd with a rate too small to move w: the validation numbers are those of w = 0.
    const result = await train({
      model,
      data: trainData,
      validation,
      epochs: 1,
      optimizer: { name: 'sgd', learningRate: 1e-30 },
      metrics: [perplexityMetric()],
    });
    expect(result.history[0]!.metrics).toMatchObject({
      val_hits: expect.closeTo(0.3, 6),
      val_loss: expect.closeTo(4, 6),
      val_perplexity: expect.closeTo(Math.exp(4), 3),
    });
    // The training loss is weighted the same way: (1 + 4 + 9) / 3, not ((1 + 4) / 2 + 9) / 2.
    expect(result.history[0]!.metrics.loss).toBeCloseTo(14 / 3, 5);
    model.dispose!();
  });
});
