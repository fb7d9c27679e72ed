import type * as tf from '@tensorflow/tfjs';
import { readStep, rowOf, scoredStep } from './checked-step.js';
import { reorderRows } from './gather-rows.js';
import type { DecoderState, IncrementalDecoder } from './incremental-decoder.js';
import { releaseState } from './release-state.js';

/** What greedy and sampled decoding return, one entry per row of the state. */
export interface DecodeResult {
  /** The emitted tokens, without the start token and without the end token (see `ended`). */
  readonly tokens: number[][];
  /** Sum of the model's log-softmax over the chosen tokens, the end token included when it was emitted. */
  readonly logProbability: number[];
  /** Whether the row stopped on `endToken` (true) or ran to `maxLength` (false). */
  readonly ended: boolean[];
  /** Where the decoder returns attention: per row, per token of `tokens`, the weights over source positions. */
  readonly attention?: number[][][];
}

export interface Chosen {
  readonly tokens: number[];
  /** The model's log-probability of each chosen token. */
  readonly logProbabilities: number[];
}

/** Picks one token per row from (rows, vocabularySize) log-probabilities (−∞ where excluded); must not dispose them. */
export type ChooseTokens = (logProbabilities: tf.Tensor2D) => Promise<Chosen>;

export interface TokenByTokenPlan {
  readonly start: readonly number[];
  readonly maxLength: number;
  readonly endToken: number | undefined;
  readonly excluded: Float32Array | undefined;
}

/**
 * The loop shared by greedy and sampled decoding: step, choose one token per row, append. A row that emits
 * the end token stops growing, and its row of the state is dropped (reordered away, as fairseq shrinks its
 * batch) so that later steps run on live rows only.
 */
export async function decodeTokenByToken(
  decoder: IncrementalDecoder,
  state: DecoderState,
  plan: TokenByTokenPlan,
  choose: ChooseTokens,
): Promise<DecodeResult> {
  const { start, maxLength, endToken, excluded } = plan;
  const tokens = start.map((): number[] => []);
  const logProbability = start.map(() => 0);
  const ended = start.map(() => false);
  const attention: number[][][] = start.map(() => []);
  let sawAttention = false;

  let live = start.map((_, row) => row); // live[i]: the result row that row i of `current` decodes
  let inputs = [...start];
  let current = state;
  try {
    for (let length = 1; length <= maxLength && live.length > 0; length++) {
      const step = scoredStep(decoder, inputs, current, excluded);
      releaseState(current, state, step.state);
      current = step.state;
      const { chosen, weights, sources } = await readStep(step, choose);
      sawAttention ||= weights !== undefined;

      const keep: number[] = [];
      live.forEach((row, i) => {
        const token = chosen.tokens[i]!;
        logProbability[row]! += chosen.logProbabilities[i]!;
        if (token === endToken) {
          ended[row] = true;
          return;
        }
        tokens[row]!.push(token);
        if (weights) attention[row]!.push(rowOf(weights, i, sources));
        keep.push(i);
      });
      if (length === maxLength || keep.length === 0) break;
      const reordered = reorderRows(decoder, current, keep, live.length);
      releaseState(current, state, reordered);
      current = reordered;
      live = keep.map((i) => live[i]!);
      inputs = keep.map((i) => chosen.tokens[i]!);
    }
  } finally {
    releaseState(current, state);
  }
  return { tokens, logProbability, ended, ...(sawAttention && { attention }) };
}
