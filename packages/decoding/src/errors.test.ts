import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '@nnkit/core';
import { beamSearch } from './beam-search.js';
import { feedTokens } from './feed-tokens.js';
import { gatherRows } from './gather-rows.js';
import { greedyDecode } from './greedy-decode.js';
import type { IncrementalDecoder } from './incremental-decoder.js';
import { sampleDecode } from './sample-decode.js';
import { tableDecoder, tensorsLeftBy, tinyRnn } from './toy-decoders.fixture.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Resolves to the error `run` throws or rejects with. */
async function errorOf(run: () => unknown): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('decoding refuses bad inputs with typed errors, and leaks nothing doing so', () => {
  const rnn = tinyRnn(5, 1);
  const state = rnn.initialState({ batchSize: 2 });
  afterAll(() => {
    tf.dispose([...state]);
    rnn.dispose();
  });
  const base = { start: [1, 2], maxLength: 4, beamWidth: 2, seed: 0 };

  it.each([
    ['beamSearch', 'beamWidth', { beamWidth: 0 }, /beamWidth to be an integer ≥ 1, got 0/],
    ['beamSearch', 'beamWidth', { beamWidth: 1.5 }, /beamWidth to be an integer ≥ 1, got 1.5/],
    ['beamSearch', 'nBest', { nBest: 3 }, /nBest to be at most beamWidth \(2\), got 3/],
    ['beamSearch', 'lengthPenalty', { lengthPenalty: Number.NaN }, /lengthPenalty to be a finite number, got NaN/],
    ['greedyDecode', 'maxLength', { maxLength: 0 }, /maxLength to be an integer ≥ 1, got 0/],
    ['sampleDecode', 'temperature', { temperature: -0.5 }, /temperature to be a finite number ≥ 0, got -0.5/],
    ['sampleDecode', 'seed', { seed: 0.5 }, /seed to be an integer, got 0.5/],
    ['greedyDecode', 'start', { start: [1, 5] }, /start to be token ids in \[0, 5\).*got 5/],
    ['beamSearch', 'endToken', { endToken: -1 }, /endToken to be token ids in \[0, 5\).*got -1/],
    ['sampleDecode', 'exclude', { exclude: [7] }, /exclude to be token ids in \[0, 5\).*got 7/],
    ['greedyDecode', 'exclude', { exclude: [0, 1, 2, 3, 4] }, /leave at least one token to produce, got all 5 ids/],
  ] as const)('%s: %s', async (name, key, override, message) => {
    const run = { beamSearch, greedyDecode, sampleDecode }[name] as (d: IncrementalDecoder, s: typeof state, o: object) => Promise<unknown>;
    let error: Error | undefined;
    expect(await tensorsLeftBy(async () => (error = await errorOf(() => run(rnn, state, { ...base, ...override }))))).toBe(0);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe(key);
    expect(error!.message).toMatch(message);
    expect(error!.message).toMatch(new RegExp(`^${name} expects`));
  });

  it('refuses a start count that is not the state’s batch', async () => {
    for (const run of [greedyDecode, sampleDecode, beamSearch] as Array<
      (d: IncrementalDecoder, s: typeof state, o: object) => Promise<unknown>
    >) {
      const error = await errorOf(() => run(rnn, state, { ...base, start: [1, 2, 3] }));
      expect(error).toBeInstanceOf(ShapeError);
      expect(error.message).toMatch(/one start token per row of the state \(2\), got 3/);
    }
  });

  it('refuses ragged prompts and ids out of the vocabulary in feedTokens', async () => {
    expect(await errorOf(() => feedTokens(rnn, state, [[1, 2], [3]]))).toBeInstanceOf(ShapeError);
    expect(await errorOf(() => feedTokens(rnn, state, [[1], [2], [3]]))).toBeInstanceOf(ShapeError);
    expect(await errorOf(() => feedTokens(rnn, state, [[], []]))).toBeInstanceOf(ShapeError);
    const error = await errorOf(() => feedTokens(rnn, state, [[1], [9]]));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^feedTokens expects tokens to be token ids in \[0, 5\)/);
  });

  it('refuses a state whose tensors disagree on the batch', async () => {
    const ragged = [tf.zeros([2, 8]), tf.zeros([3, 8])];
    const error = await errorOf(() => greedyDecode(rnn, ragged, { start: 0, maxLength: 2 }));
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toMatch(/tensor 1 of shape \[3, 8\]/);
    tf.dispose(ragged);
  });

  it('names a decoder whose step returns logits of the wrong width, and frees what it returned', async () => {
    const wrong: IncrementalDecoder = { ...rnn, vocabularySize: 4, step: rnn.step, initialState: rnn.initialState };
    let error: Error | undefined;
    expect(
      await tensorsLeftBy(async () => (error = await errorOf(() => beamSearch(wrong, state, { start: 1, beamWidth: 2, maxLength: 3 })))),
    ).toBe(0);
    expect(error).toBeInstanceOf(ShapeError);
    expect(error!.message).toMatch(/^IncrementalDecoder.step expects to return logits of shape \[2, 4\].*got \[2, 5\]/);
  });

  it('names a reorderState that returns the wrong number of rows', async () => {
    const table = tableDecoder([
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
    const dropsRows: IncrementalDecoder = { ...table, reorderState: (s) => s.map((t) => t.clone()) };
    const fresh = table.initialState({ batchSize: 1 });
    let error: Error | undefined;
    expect(
      await tensorsLeftBy(
        async () => (error = await errorOf(() => beamSearch(dropsRows, fresh, { start: 0, beamWidth: 2, maxLength: 3 }))),
      ),
    ).toBe(0);
    expect(error).toBeInstanceOf(ShapeError);
    expect(error!.message).toMatch(/reorderState expects to return tensors of 2 rows/);
    tf.dispose([...fresh]);
    table.dispose();
  });
});

describe('gatherRows', () => {
  it('repeats, drops and reorders rows of every tensor, leaving its inputs alone', async () => {
    const state = [tf.tensor2d([[0], [1], [2]]), tf.tensor3d([[[0, 0]], [[1, 1]], [[2, 2]]])];
    const order = tf.tensor1d([2, 0, 0, 2], 'int32');
    const before = tf.memory().numTensors;
    const reordered = gatherRows(state, order);
    expect(tf.memory().numTensors - before).toBe(2);
    expect(reordered[0]!.arraySync()).toEqual([[2], [0], [0], [2]]);
    expect(reordered[1]!.arraySync()).toEqual([[[2, 2]], [[0, 0]], [[0, 0]], [[2, 2]]]);
    tf.dispose([...reordered, ...state, order]);
  });
});
