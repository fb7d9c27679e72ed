import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@nnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy, bitsPerCharacter, crossEntropy, perplexity } from './metrics.js';

describe('metrics', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('accuracy counts the rows whose top score is the label, from one-hot labels or class ids', async () => {
    const scores = tf.tensor2d([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]]);
    expect((await accuracy(scores, tf.tensor2d([[0, 1], [1, 0], [1, 0], [0, 1]])).data())[0]).toBeCloseTo(0.5);
    expect((await accuracy(scores, tf.tensor1d([1, 0, 1, 1], 'int32')).data())[0]).toBeCloseTo(0.75);
  });

  it('cross-entropy is −log of the probability given to the label; perplexity and bits follow from it', async () => {
    // Uniform logits over 4 classes: −log(1/4) = ln 4 nats = 2 bits, perplexity 4.
    const nats = (await crossEntropy(tf.zeros([3, 4]), tf.oneHot(tf.tensor1d([0, 2, 3], 'int32'), 4)).data())[0]!;
    expect(nats).toBeCloseTo(Math.log(4), 5);
    expect(perplexity(nats)).toBeCloseTo(4, 4);
    expect(bitsPerCharacter(nats)).toBeCloseTo(2, 5);
  });
});
