import * as tf from '@tensorflow/tfjs';
import { type Batch, type TrainableModel } from '@nnkit/core';
import { useBackend } from '@nnkit/backends';
import { expectClose } from '@nnkit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy, bitsPerCharacter, bitsPerTokenMetric, crossEntropy, perplexity, perplexityMetric } from './metrics.js';

/** A WeightedSum's sum and weight as numbers; frees the sum. */
async function read({ sum, weight }: { sum: tf.Scalar; weight: tf.Scalar | number }): Promise<[number, number]> {
  const value = (await sum.data())[0]!;
  sum.dispose();
  return [value, typeof weight === 'number' ? weight : (await weight.data())[0]!];
}

describe('metrics', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('accuracy counts the rows whose top score is the label, from one-hot labels or class ids, over the row count', async () => {
    const scores = tf.tensor2d([
      [0.1, 0.9],
      [0.8, 0.2],
      [0.3, 0.7],
      [0.6, 0.4],
    ]);
    const oneHot = tf.tensor2d([
      [0, 1],
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    const ids = tf.tensor1d([1, 0, 1, 1], 'int32');
    const before = tf.memory().numTensors;
    expect(await read(accuracy(scores, oneHot))).toEqual([2, 4]);
    expect(await read(accuracy(scores, ids))).toEqual([3, 4]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([scores, oneHot, ids]);
  });

  it('cross-entropy is the summed −log of the probability given to each label, over the row count', async () => {
    // Uniform logits over 4 classes: −log(1/4) = ln 4 nats = 2 bits a row, perplexity 4.
    const logits = tf.zeros([3, 4]);
    const labels = tf.oneHot(tf.tensor1d([0, 2, 3], 'int32'), 4);
    const [sum, weight] = await read(crossEntropy(logits, labels));
    expect(weight).toBe(3);
    expect(sum).toBeCloseTo(3 * Math.log(4), 5);
    const nats = sum / weight;
    expect(perplexity(nats)).toBeCloseTo(4, 4);
    expect(bitsPerCharacter(nats)).toBeCloseTo(2, 5);
    // Its gradient with respect to the logits is softmax − labels, row by row.
    const grad = tf.grad((x: tf.Tensor) => crossEntropy(x, labels).sum)(logits);
    const expected = tf.sub(tf.fill([3, 4], 0.25), labels);
    expectClose(grad, expected, { atol: 1e-6, rtol: 0 });
    tf.dispose([logits, labels, grad, expected]);
  });

  it('perplexity and bits per token over a split come from Σ sum / Σ weight, not from a mean of batch values', async () => {
    const model = {} as TrainableModel;
    const batch = {} as Batch;
    // Two batches: 1 token at 4 nats, 3 tokens at 0 nats in all. Per token: 1 nat; the mean of batch means would be 2.
    const perplexityOf = perplexityMetric().start();
    const bitsOf = bitsPerTokenMetric().start();
    for (const accumulator of [perplexityOf, bitsOf]) {
      await accumulator.add(batch, model, { sum: 4, weight: 1 });
      await accumulator.add(batch, model, { sum: 0, weight: 3 });
    }
    expect(perplexityOf.result()).toBeCloseTo(Math.exp(1), 10);
    expect(bitsOf.result()).toBeCloseTo(1 / Math.LN2, 10);
    // Each start() begins a new pass.
    const again = perplexityMetric().start();
    await again.add(batch, model, { sum: 2, weight: 1 });
    expect(again.result()).toBeCloseTo(Math.exp(2), 10);
    expect(perplexityMetric().name).toBe('perplexity');
    expect(bitsPerTokenMetric().name).toBe('bits_per_token');
  });
});
