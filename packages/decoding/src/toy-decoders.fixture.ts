import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { mulberry32 } from '@nnkit/core';
import { gatherRows } from './gather-rows.js';
import type { DecoderState, DecoderStep, IncrementalDecoder } from './incremental-decoder.js';

/** Small decoders made of tf ops, with known answers, for the decoding tests. */

/**
 * A bigram model: the next-token distribution is row `token` of `table` (probabilities; 0 gives −∞ logits).
 * Its state is one (batch, 1) tensor holding each row's identity, passed through unchanged from step to step
 * (as a decoder passes encoder outputs through). With `attention`, each step attends to [identity, token]:
 * which row and which input produced it, so that a test can check both stayed aligned.
 */
export function tableDecoder(
  table: number[][],
  options: { attention?: boolean } = {},
): IncrementalDecoder<{ batchSize: number }> & { dispose(): void } {
  const logTable = tf.tidy(() => tf.log(tf.tensor2d(table)));
  return {
    vocabularySize: table.length,
    initialState: ({ batchSize }) => [tf.tensor2d(Array.from({ length: batchSize }, (_, i) => [i]))],
    step(tokens, state): DecoderStep {
      const identity = state[0]!;
      const logits = tf.gather(logTable, tokens) as tf.Tensor2D;
      if (!options.attention) return { logits, state };
      const attention = tf.tidy(() => tf.concat([identity, tf.cast(tokens, 'float32').expandDims(1)], 1)) as tf.Tensor2D;
      return { logits, state, attention };
    },
    dispose: () => logTable.dispose(),
  };
}

/**
 * The brief's RNN with random weights: h' = tanh(emb[token] + h·W), logits = h'·V, state [h] of (batch, 8).
 * Different seeds give different models; nothing is trained.
 */
export function tinyRnn(vocabularySize: number, seed: number, hidden = 8): IncrementalDecoder<{ batchSize: number }> & { dispose(): void } {
  const random = mulberry32(seed);
  const weights = (rows: number, cols: number, scale: number) =>
    tf.tensor2d(
      Array.from({ length: rows * cols }, () => (random() * 2 - 1) * scale),
      [rows, cols],
    );
  const embedding = weights(vocabularySize, hidden, 1);
  const recurrent = weights(hidden, hidden, 0.8);
  const output = weights(hidden, vocabularySize, 2);
  return {
    vocabularySize,
    initialState: ({ batchSize }) => [tf.zeros([batchSize, hidden])],
    step(tokens, [h]): DecoderStep {
      return tf.tidy(() => {
        const next = tf.tanh(tf.add(tf.gather(embedding, tokens), tf.matMul(h as tf.Tensor2D, recurrent)));
        return { logits: tf.matMul(next, output) as tf.Tensor2D, state: [next] };
      });
    },
    dispose: () => tf.dispose([embedding, recurrent, output]),
  };
}

/** The same distribution (`probabilities`) after every token; no state. */
export function fixedDistribution(probabilities: number[]): IncrementalDecoder<unknown> & { dispose(): void } {
  const logRow = tf.tidy(() => tf.log(tf.tensor2d([probabilities])));
  return {
    vocabularySize: probabilities.length,
    initialState: () => [],
    step: (tokens, state) => ({ logits: tf.tidy(() => tf.tile(logRow, [tokens.shape[0], 1])) as tf.Tensor2D, state }),
    dispose: () => logRow.dispose(),
  };
}

/** One step as a history decoder saw it: which row (identity) read which tokens, in order. */
export interface SeenStep {
  readonly identity: number;
  readonly sequence: number[];
}

/**
 * A decoder that remembers everything each row has read: state [identity (batch, 1), history (batch, t)].
 * Every step logs identity and history + token, so a test can check that each hypothesis was stepped with its
 * own history (state rows aligned with hypotheses). Its scores come from an RNN so that beams diverge; its
 * reorderState gathers, and records each order it was given.
 */
export function historyDecoder(
  vocabularySize: number,
  seed: number,
): IncrementalDecoder<{ batchSize: number }> & { seen: SeenStep[]; orders: number[][]; dispose(): void } {
  const rnn = tinyRnn(vocabularySize, seed);
  const seen: SeenStep[] = [];
  const orders: number[][] = [];
  return {
    vocabularySize,
    seen,
    orders,
    initialState: ({ batchSize }) => [
      tf.tensor2d(Array.from({ length: batchSize }, (_, i) => [i])),
      tf.zeros([batchSize, 0]),
      ...rnn.initialState({ batchSize }),
    ],
    step(tokens, [identity, history, h]): DecoderStep {
      const ids = identity!.arraySync() as number[][];
      const read = history!.shape[1] === 0 ? ids.map((): number[] => []) : (history!.arraySync() as number[][]);
      const fed = tokens.arraySync();
      fed.forEach((token, i) => seen.push({ identity: ids[i]![0]!, sequence: [...read[i]!, token] }));
      const { logits, state } = rnn.step(tokens, [h!]);
      const longer = tf.tidy(() => tf.concat([history!, tf.cast(tokens, 'float32').expandDims(1)], 1));
      return { logits, state: [tf.clone(identity!), longer, ...state] };
    },
    reorderState(state: DecoderState, order: tf.Tensor1D): DecoderState {
      orders.push(order.arraySync());
      return gatherRows(state, order);
    },
    dispose: () => rnn.dispose(),
  };
}

/** Asserts-friendly wrapper: runs `body` and returns how many tensors it left behind. */
export async function tensorsLeftBy(body: () => unknown): Promise<number> {
  const before = tf.memory().numTensors;
  await body();
  return tf.memory().numTensors - before;
}

/** |actual − expected| ≤ tolerance elementwise (log-probabilities summed in float32 on the device: 1e-5). */
export function expectNear(actual: number | readonly number[], expected: number | readonly number[], tolerance = 1e-5): void {
  const a = typeof actual === 'number' ? [actual] : actual;
  const e = typeof expected === 'number' ? [expected] : expected;
  expect(a.length, 'number of values').toBe(e.length);
  a.forEach((value, i) => {
    if (!(Math.abs(value - e[i]!) <= tolerance)) expect.fail(`value ${i} is ${value}, expected ${e[i]} (± ${tolerance})`);
  });
}
