import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beamSearch, type Hypothesis } from './beam-search.js';
import type { DecodeResult } from './token-by-token.js';
import { greedyDecode } from './greedy-decode.js';
import { expectNear, historyDecoder, tableDecoder, tensorsLeftBy, tinyRnn } from './toy-decoders.fixture.js';

const [S, E, A, B, C] = [0, 1, 2, 3, 4];

/**
 * Greedy is wrong here: after S, A (0.6) beats B (0.4), but after A nothing has p > 0.3 while after B the end
 * has p = 0.9, so B,E (0.36) is twice as likely as A,E (0.18).
 */
const greedyTrap = [
  /* S */ [0, 0, 0.6, 0.4, 0],
  /* E */ [0.2, 0.2, 0.2, 0.2, 0.2],
  /* A */ [0, 0.3, 0.25, 0.25, 0.2],
  /* B */ [0, 0.9, 0.05, 0.05, 0],
  /* C */ [0, 0.5, 0.25, 0.25, 0],
];

/** From S: end at once (0.3), or A (0.7) then A again (0.8) or end (0.2). A long path wins per token, loses in total. */
const longOrShort = [
  /* S */ [0, 0.3, 0.7],
  /* E */ [0, 1, 0],
  /* A */ [0, 0.2, 0.8],
];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('beamSearch', () => {
  const trap = tableDecoder(greedyTrap);
  afterAll(() => trap.dispose());

  it('finds the more probable sequence that greedy decoding misses', async () => {
    const state = trap.initialState({ batchSize: 1 });
    let greedy: DecodeResult | undefined;
    let beam: Hypothesis[][] | undefined;
    const left = await tensorsLeftBy(async () => {
      greedy = await greedyDecode(trap, state, { start: S, maxLength: 5, endToken: E });
      beam = await beamSearch(trap, state, { start: S, beamWidth: 2, maxLength: 5, endToken: E, nBest: 2 });
    });
    expect(left).toBe(0);
    expect(greedy!.tokens).toEqual([[A]]);
    expectNear(greedy!.logProbability, [Math.log(0.18)]);
    const [best, second] = beam![0]!;
    expect([best!.tokens, best!.ended, second!.tokens, second!.ended]).toEqual([[B], true, [A], true]);
    expectNear([best!.logProbability, second!.logProbability], [Math.log(0.36), Math.log(0.18)]);
    // lengthPenalty 1: the score is logP per emitted token, the end token counted.
    expectNear([best!.score, second!.score], [Math.log(0.36) / 2, Math.log(0.18) / 2]);
    tf.dispose([...state]);
  });

  it('decodes every row of a batch as it would decode that row alone', async () => {
    const state = trap.initialState({ batchSize: 2 });
    const together = await beamSearch(trap, state, {
      start: [S, C],
      beamWidth: 2,
      maxLength: 4,
      endToken: E,
      nBest: 2,
    });
    for (const [row, start] of [S, C].entries()) {
      const single = trap.initialState({ batchSize: 1 });
      expect(together[row]).toEqual((await beamSearch(trap, single, { start, beamWidth: 2, maxLength: 4, endToken: E, nBest: 2 }))[0]);
      tf.dispose([...single]);
    }
    expect(together[1]![0]!.tokens).toEqual([]); // from C, ending at once (0.5) is best
    tf.dispose([...state]);
  });

  it('never produces an excluded token', async () => {
    const state = trap.initialState({ batchSize: 1 });
    const best = (await beamSearch(trap, state, { start: S, beamWidth: 3, maxLength: 5, endToken: E, exclude: [B] }))[0]![0];
    expect(best!.tokens).toEqual([A]);
    expectNear(best!.logProbability, Math.log(0.18));
    tf.dispose([...state]);
  });

  it('with beam width 1, equals greedy decoding (tokens and log-probability)', async () => {
    const rnn = tinyRnn(6, 7);
    const state = rnn.initialState({ batchSize: 3 });
    for (const maxLength of [1, 2, 5, 12]) {
      for (const endToken of [undefined, 0]) {
        const options = { start: [1, 2, 3], maxLength, ...(endToken !== undefined && { endToken }) };
        let greedy: DecodeResult | undefined;
        let beam: Hypothesis[][] | undefined;
        const left = await tensorsLeftBy(async () => {
          greedy = await greedyDecode(rnn, state, options);
          beam = await beamSearch(rnn, state, { ...options, beamWidth: 1 });
        });
        expect(left).toBe(0);
        expect(beam!.map((row) => row[0]!.tokens)).toEqual(greedy!.tokens);
        expect(beam!.map((row) => row[0]!.ended)).toEqual(greedy!.ended);
        expectNear(
          beam!.map((row) => row[0]!.logProbability),
          greedy!.logProbability,
        );
      }
    }
    const ends = await greedyDecode(rnn, state, { start: [1, 2, 3], maxLength: 12, endToken: 0 });
    expect(ends.ended.some(Boolean), 'the end token is reached in some row, so both paths are exercised').toBe(true);
    tf.dispose([...state]);
    rnn.dispose();
  });

  describe('length normalization', () => {
    const model = tableDecoder(longOrShort);
    afterAll(() => model.dispose());
    const search = async (lengthPenalty: number, stopEarly?: boolean) => {
      const state = model.initialState({ batchSize: 1 });
      const result = await beamSearch(model, state, {
        start: S,
        beamWidth: 2,
        maxLength: 5,
        endToken: E,
        lengthPenalty,
        ...(stopEarly !== undefined && { stopEarly }),
      });
      tf.dispose([...state]);
      return result[0]![0]!;
    };

    it('prefers the longer hypothesis per token with lengthPenalty 1, the shorter in total with 0', async () => {
      const normalized = await search(1);
      expect(normalized.tokens).toEqual([A]);
      expectNear([normalized.logProbability, normalized.score], [Math.log(0.14), Math.log(0.14) / 2]);
      const plain = await search(0);
      expect(plain.tokens).toEqual([]);
      expectNear([plain.logProbability, plain.score], [Math.log(0.3), Math.log(0.3)]);
    });

    it('with stopEarly false, keeps searching while a live hypothesis could still win', async () => {
      // After W = 2 finished (E; A,E), A,A is alive, and every further A raises the mean log-probability.
      const exhaustive = await search(1, false);
      expect([exhaustive.tokens, exhaustive.ended]).toEqual([[A, A, A, A, A], false]);
      expectNear(exhaustive.score, (Math.log(0.7) + 4 * Math.log(0.8)) / 5);
      // With lengthPenalty 0 no live hypothesis can beat E (logP only falls): the result is the early one.
      expect((await search(0, false)).tokens).toEqual([]);
    });
  });

  it('reorders the state by the chosen parents, keeping each row of the state with its hypothesis', async () => {
    const decoder = historyDecoder(7, 3);
    const state = decoder.initialState({ batchSize: 2 });
    const starts = [1, 2];
    let result: Hypothesis[][] | undefined;
    const left = await tensorsLeftBy(async () => {
      result = await beamSearch(decoder, state, { start: starts, beamWidth: 3, maxLength: 6, endToken: 0, nBest: 3 });
    });
    expect(left).toBe(0);
    // The first reorder expands each context to its beams: [0, 0, 0, 1, 1, 1].
    expect(decoder.orders[0]).toEqual([0, 0, 0, 1, 1, 1]);
    expect(decoder.orders.length).toBeGreaterThan(1);
    // Every step was taken with the row's own identity, and a history that is a hypothesis prefix from that row's start.
    for (const { identity, sequence } of decoder.seen) expect(sequence[0]).toBe(starts[identity]);
    const seen = new Set(decoder.seen.map(({ identity, sequence }) => `${identity}:${sequence.join(',')}`));
    for (const [row, hypotheses] of result!.entries()) {
      expect(hypotheses).toHaveLength(3);
      for (const { tokens } of hypotheses) {
        // Each token after the first was predicted by a step that read exactly [start, …tokens before it].
        for (let k = 0; k < tokens.length; k++) expect(seen.has(`${row}:${[starts[row], ...tokens.slice(0, k)].join(',')}`)).toBe(true);
      }
    }
    tf.dispose([...state]);
    decoder.dispose();
  });

  it('returns per-token attention, aligned with the hypothesis and its row after reordering', async () => {
    const decoder = tableDecoder(greedyTrap, { attention: true });
    const state = decoder.initialState({ batchSize: 2 });
    // No end token: every hypothesis runs to maxLength, through several reorders.
    const result = await beamSearch(decoder, state, { start: [S, C], beamWidth: 2, maxLength: 4, nBest: 2 });
    for (const [row, hypotheses] of result.entries()) {
      for (const { tokens, attention } of hypotheses) {
        expect(tokens).toHaveLength(4);
        // The step that emitted token k read token k − 1 (the start token for k = 0).
        const read = tokens.map((_, k) => (k === 0 ? [S, C][row]! : tokens[k - 1]!));
        expect(attention).toEqual(read.map((token) => [row, token]));
      }
    }
    tf.dispose([...state]);
    decoder.dispose();
  });
});
