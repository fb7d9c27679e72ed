import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greedyDecode } from './greedy-decode.js';
import type { DecodeResult } from './token-by-token.js';
import { expectNear, tableDecoder, tensorsLeftBy, tinyRnn } from './toy-decoders.fixture.js';

const [S, E, A, B] = [0, 1, 2, 3];
const table = [
  /* S */ [0, 0.1, 0.6, 0.3],
  /* E */ [0.25, 0.25, 0.25, 0.25],
  /* A */ [0, 0.2, 0.5, 0.3],
  /* B */ [0, 0.7, 0.1, 0.2],
];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('greedyDecode', () => {
  const decoder = tableDecoder(table, { attention: true });
  afterAll(() => decoder.dispose());

  it('takes the most probable token each step, and stops a row after its end token (not included)', async () => {
    const state = decoder.initialState({ batchSize: 2 });
    let result: DecodeResult | undefined;
    const left = await tensorsLeftBy(async () => {
      result = await greedyDecode(decoder, state, { start: [S, B], maxLength: 4, endToken: E });
    });
    expect(left).toBe(0);
    // From S: A, A, A, A (maxLength); from B: end at once.
    expect(result!.tokens).toEqual([[A, A, A, A], []]);
    expect(result!.ended).toEqual([false, true]);
    expectNear(result!.logProbability, [Math.log(0.6 * 0.5 ** 3), Math.log(0.7)]);
    // Attention per emitted token: [row, token the step read]; none for the end token.
    expect(result!.attention).toEqual([
      [
        [0, S],
        [0, A],
        [0, A],
        [0, A],
      ],
      [],
    ]);
    tf.dispose([...state]);
  });

  it('never produces an excluded token; scores stay the model’s own', async () => {
    const state = decoder.initialState({ batchSize: 1 });
    const result = await greedyDecode(decoder, state, { start: S, maxLength: 3, endToken: E, exclude: [A] });
    expect(result.tokens).toEqual([[B]]);
    expectNear(result.logProbability, [Math.log(0.3 * 0.7)]);
    tf.dispose([...state]);
  });

  it('leaves the caller’s state usable and the tensor count unchanged on a recurrent model', async () => {
    const rnn = tinyRnn(6, 11);
    const state = rnn.initialState({ batchSize: 3 });
    const first = await greedyDecode(rnn, state, { start: [1, 2, 3], maxLength: 8, endToken: 0 });
    const left = await tensorsLeftBy(() => greedyDecode(rnn, state, { start: [1, 2, 3], maxLength: 8, endToken: 0 }));
    expect(left).toBe(0);
    expect(state.every((t) => !t.isDisposed)).toBe(true);
    expect((await greedyDecode(rnn, state, { start: [1, 2, 3], maxLength: 8, endToken: 0 })).tokens).toEqual(first.tokens);
    expect(first.attention).toBeUndefined();
    tf.dispose([...state]);
    rnn.dispose();
  });
});
