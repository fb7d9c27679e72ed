import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedTokens, type FedTokens } from './feed-tokens.js';
import { greedyDecode } from './greedy-decode.js';
import { expectNear, tableDecoder, tensorsLeftBy, tinyRnn } from './toy-decoders.fixture.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('feedTokens', () => {
  const rnn = tinyRnn(6, 21);
  afterAll(() => rnn.dispose());

  it('returns the state and logits after stepping through every row’s tokens', async () => {
    const state = rnn.initialState({ batchSize: 2 });
    const prompt = [
      [1, 4, 2],
      [3, 3, 5],
    ];
    let fed: FedTokens | undefined;
    const left = await tensorsLeftBy(() => {
      fed = feedTokens(rnn, state, prompt);
      tf.dispose([...fed.state, fed.logits]);
    });
    expect(left).toBe(0);

    // The same steps by hand.
    fed = feedTokens(rnn, state, prompt);
    let manual = state;
    let logits: tf.Tensor | undefined;
    for (let t = 0; t < 3; t++) {
      const tokens = tf.tensor1d(
        prompt.map((row) => row[t]!),
        'int32',
      );
      const step = rnn.step(tokens, manual);
      if (manual !== state) tf.dispose([...manual]);
      logits?.dispose();
      tokens.dispose();
      manual = step.state;
      logits = step.logits;
    }
    expectNear(Array.from(await fed.state[0]!.data()), Array.from(await manual[0]!.data()), 1e-6);
    expectNear(Array.from(await fed.logits.data()), Array.from(await logits!.data()), 1e-6);
    tf.dispose([...fed.state, fed.logits, ...manual, logits!, ...state]);
  });

  it('feeds a prompt in parts as it feeds it at once; decoding then continues from the fed state', async () => {
    const state = rnn.initialState({ batchSize: 1 });
    const once = feedTokens(rnn, state, [[2, 5, 4]]);
    const first = feedTokens(rnn, state, [[2]]);
    const then = feedTokens(rnn, first.state, [[5, 4]]);
    expectNear(Array.from(await then.state[0]!.data()), Array.from(await once.state[0]!.data()), 1e-6);
    const continued = await greedyDecode(rnn, once.state, { start: 1, maxLength: 5 });
    expect(await greedyDecode(rnn, then.state, { start: 1, maxLength: 5 })).toEqual(continued);
    expect(continued.tokens[0]).toHaveLength(5);
    tf.dispose([...once.state, once.logits, ...first.state, first.logits, ...then.state, then.logits, ...state]);
  });

  it('returns its own tensors even where the decoder passes state through, so both may be disposed', () => {
    const table = tableDecoder([
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
    const state = table.initialState({ batchSize: 2 });
    const before = tf.memory().numTensors;
    const fed = feedTokens(table, state, [
      [0, 1],
      [1, 1],
    ]);
    expect(fed.state[0]).not.toBe(state[0]);
    tf.dispose([...fed.state, fed.logits]);
    expect(state[0]!.isDisposed).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...state]);
    table.dispose();
  });
});
