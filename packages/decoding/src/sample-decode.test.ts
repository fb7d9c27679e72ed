import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greedyDecode } from './greedy-decode.js';
import { sampleDecode } from './sample-decode.js';
import type { DecodeResult } from './token-by-token.js';
import { expectNear, fixedDistribution, tensorsLeftBy, tinyRnn } from './toy-decoders.fixture.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** How often each id appears among all rows' tokens. */
function frequencies(tokens: number[][], vocabularySize: number): number[] {
  const counts = new Array<number>(vocabularySize).fill(0);
  const all = tokens.flat();
  for (const token of all) counts[token]!++;
  return counts.map((count) => count / all.length);
}

describe('sampleDecode', () => {
  const rnn = tinyRnn(8, 5);
  afterAll(() => rnn.dispose());
  const start = [1, 2, 3, 4];

  it('gives the same tokens for the same seed, others for another seed', async () => {
    const state = rnn.initialState({ batchSize: 4 });
    const options = { start, maxLength: 20, endToken: 0, seed: 42 };
    let first: DecodeResult | undefined;
    const left = await tensorsLeftBy(async () => {
      first = await sampleDecode(rnn, state, options);
    });
    expect(left).toBe(0);
    expect(await sampleDecode(rnn, state, options)).toEqual(first);
    expect((await sampleDecode(rnn, state, { ...options, seed: 43 })).tokens).not.toEqual(first!.tokens);
    tf.dispose([...state]);
  });

  it('reports the model’s log-probability of what it drew (temperature 1), whatever the temperature', async () => {
    const decoder = fixedDistribution([0.5, 0.3, 0.2]);
    const result = await sampleDecode(decoder, [], { start: [0, 0], maxLength: 6, seed: 1, temperature: 3 });
    const logP = [Math.log(0.5), Math.log(0.3), Math.log(0.2)];
    expectNear(
      result.logProbability,
      result.tokens.map((row) => row.reduce((sum, token) => sum + logP[token]!, 0)),
    );
    decoder.dispose();
  });

  it('at temperature 0, equals greedy decoding', async () => {
    const state = rnn.initialState({ batchSize: 4 });
    const greedy = await greedyDecode(rnn, state, { start, maxLength: 15, endToken: 0 });
    expect(await sampleDecode(rnn, state, { start, maxLength: 15, endToken: 0, seed: 9, temperature: 0 })).toEqual(greedy);
    tf.dispose([...state]);
  });

  it('never draws an excluded id', async () => {
    const state = rnn.initialState({ batchSize: 4 });
    // A high temperature flattens the distribution, so that every id has its chances.
    const result = await sampleDecode(rnn, state, { start, maxLength: 300, seed: 3, temperature: 5, exclude: [2, 5] });
    const counts = frequencies(result.tokens, 8);
    expect([counts[2], counts[5]]).toEqual([0, 0]);
    expect(counts.filter((f) => f > 0)).toHaveLength(6);
    tf.dispose([...state]);
  });

  it('draws with the empirical frequencies of softmax(logits / temperature)', async () => {
    const p = [0.5, 0.3, 0.15, 0.05];
    const decoder = fixedDistribution(p);
    const rows = new Array<number>(10).fill(0);
    // 10 rows × 400 draws: a frequency's standard deviation is at most 0.008; allow 4 of them.
    const plain = await sampleDecode(decoder, [], { start: rows, maxLength: 400, seed: 2024 });
    expectNear(frequencies(plain.tokens, 4), p, 0.03);
    // Temperature 2: p^(1/2), renormalized.
    const flat = p.map((x) => Math.sqrt(x));
    const total = flat.reduce((a, b) => a + b, 0);
    const tempered = await sampleDecode(decoder, [], { start: rows, maxLength: 400, seed: 2025, temperature: 2 });
    expectNear(
      frequencies(tempered.tokens, 4),
      flat.map((x) => x / total),
      0.03,
    );
    decoder.dispose();
  });
});
