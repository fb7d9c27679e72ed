import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@nnkit/backends';
import { createLanguageModel, createSimpleRnnCell } from '@nnkit/plugin-rnn-lm';
import { beforeAll, describe, expect, it } from 'vitest';
import { bestLambda, mixtureCrossEntropy, scoreTokens, scoreWithNgram } from './interpolation.js';
import { KneserNey } from './kneser-ney.js';

beforeAll(async () => {
  await useBackend('cpu');
});

const mean = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0) / values.length;
const crossEntropy = (p: Float64Array) => mean(p.map((v) => -Math.log(v)));

describe('scoreTokens', () => {
  it("gives each token the probability the model's predict gives it, stream by stream, with the state carried", () => {
    const model = createLanguageModel(
      { vocabularySize: 6, cell: 'rnn-lm/simple', units: 8, layers: 2, embedding: 4, dropout: 0, tieWeights: false },
      createSimpleRnnCell,
      (label) => label.length * 7919,
    );
    const ids = Int32Array.from({ length: 23 }, (_, i) => (i * 7 + (i >> 2)) % 6);
    const before = tf.memory().numTensors;
    const { positions, probabilities } = scoreTokens(model, ids, 4);
    expect(tf.memory().numTensors).toBe(before);
    // (23 − 1) / 4 → 4 streams of 5 steps: stream s reads ids[5s … 5s + 4] and predicts ids[5s + 1 … 5s + 5].
    expect(Array.from(positions)).toEqual(Array.from({ length: 20 }, (_, k) => k + 1));
    const inputs = tf.tensor2d(
      Array.from({ length: 4 }, (_, s) => Array.from(ids.subarray(5 * s, 5 * s + 5))),
      [4, 5],
      'int32',
    );
    const predicted = model.predict(inputs).arraySync(); // (streams, steps, vocabulary), from the zero state
    for (let s = 0; s < 4; s++) {
      for (let t = 0; t < 5; t++) expect(probabilities[5 * s + t]).toBeCloseTo(predicted[s]![t]![ids[5 * s + t + 1]!]!, 6);
    }
    tf.dispose(inputs);
    model.dispose!();
  });
});

describe('scoreWithNgram', () => {
  it('gives each scored token the n-gram probability after the order − 1 tokens before it, fewer at the start', () => {
    const train = [1, 2, 3, 1, 2, 4, 1, 2, 3, 5, 0, 1, 2, 3];
    const ngram = new KneserNey(train, 3, 7);
    const ids = Int32Array.from([1, 2, 3, 6, 2, 4, 1]);
    const positions = Int32Array.from([1, 2, 3, 5, 6]);
    const scores = scoreWithNgram(ngram, ids, positions);
    expect(Array.from(scores)).toEqual([
      ngram.probability([1], 2),
      ngram.probability([1, 2], 3),
      ngram.probability([2, 3], 6),
      ngram.probability([6, 2], 4),
      ngram.probability([2, 4], 1),
    ]);
  });
});

describe('mixtureCrossEntropy', () => {
  const p = Float64Array.from([0.5, 0.1, 0.3, 0.02]);
  const q = Float64Array.from([0.1, 0.5, 0.2, 0.4]);

  it('is either model alone at λ = 1 and λ = 0, and the mean −ln of the mixed probability between', () => {
    expect(mixtureCrossEntropy(p, q, 1)).toBeCloseTo(crossEntropy(p), 12);
    expect(mixtureCrossEntropy(p, q, 0)).toBeCloseTo(crossEntropy(q), 12);
    // λ = 0.5: (0.3, 0.3, 0.25, 0.21)
    expect(mixtureCrossEntropy(p, q, 0.5)).toBeCloseTo(-(2 * Math.log(0.3) + Math.log(0.25) + Math.log(0.21)) / 4, 12);
  });

  it('is never above the same mixture of the two cross-entropies (−ln is convex)', () => {
    for (const lambda of [0.05, 0.3, 0.5, 0.7, 0.95]) {
      expect(mixtureCrossEntropy(p, q, lambda)).toBeLessThanOrEqual(lambda * crossEntropy(p) + (1 - lambda) * crossEntropy(q) + 1e-12);
    }
  });
});

describe('bestLambda', () => {
  it('takes the weight in 0.05, 0.1, …, 0.95 with the lowest mixed cross-entropy', () => {
    const p = Float64Array.from([0.5, 0.1, 0.3, 0.02, 0.6]);
    const q = Float64Array.from([0.1, 0.5, 0.2, 0.4, 0.05]);
    const lambda = bestLambda(p, q);
    const grid = Array.from({ length: 19 }, (_, i) => (i + 1) / 20);
    expect(grid).toContain(lambda);
    for (const other of grid) expect(mixtureCrossEntropy(p, q, lambda)).toBeLessThanOrEqual(mixtureCrossEntropy(p, q, other));
  });

  it('leans all the way to the model that is better on every token, never to 0 or 1', () => {
    const good = Float64Array.from([0.6, 0.5, 0.7]);
    const poor = Float64Array.from([0.1, 0.2, 0.05]);
    expect(bestLambda(good, poor)).toBe(0.95);
    expect(bestLambda(poor, good)).toBe(0.05);
  });

  it('weighs two models that are each right where the other is wrong equally, and their mixture beats both', () => {
    const p = Float64Array.from([0.9, 0.01, 0.9, 0.01]);
    const q = Float64Array.from([0.01, 0.9, 0.01, 0.9]);
    const lambda = bestLambda(p, q);
    expect(lambda).toBe(0.5);
    expect(mixtureCrossEntropy(p, q, lambda)).toBeLessThan(Math.min(crossEntropy(p), crossEntropy(q)));
  });
});
