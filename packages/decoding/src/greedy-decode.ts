import * as tf from '@tensorflow/tfjs';
import { checkCount, checkDecoder, checkTokenId, exclusionRow, resolveStart } from './decoding-options.js';
import type { DecoderState, IncrementalDecoder } from './incremental-decoder.js';
import { decodeTokenByToken, type Chosen, type DecodeResult, type TokenByTokenPlan } from './token-by-token.js';

export interface GreedyDecodeOptions {
  /** The first token fed to every row (a begin-of-sequence id, or a prompt's last token): one id, or one per row. */
  readonly start: number | readonly number[];
  /** Most tokens emitted per row, the end token included. */
  readonly maxLength: number;
  /** A row stops after emitting it; it is not part of the row's `tokens`. Default: none (rows run to maxLength). */
  readonly endToken?: number;
  /** Token ids never produced (padding, unknown). Scores stay the model's: excluded ids are not renormalized away. */
  readonly exclude?: readonly number[];
}

/**
 * The most probable next token, each step, for every row of `state` (which stays the caller's). Resolves to
 * the emitted tokens per row, without the start and the end token.
 *
 * ```ts
 * const state = lm.initialState({ batchSize: 1 });
 * const { tokens } = await greedyDecode(lm, state, { start: bos, maxLength: 50, endToken: eos });
 * tf.dispose(state);
 * ```
 */
export async function greedyDecode(decoder: IncrementalDecoder, state: DecoderState, options: GreedyDecodeOptions): Promise<DecodeResult> {
  return decodeTokenByToken(decoder, state, tokenByTokenPlan(decoder, state, options, 'greedyDecode'), chooseMostProbable);
}

/** The options greedy and sampled decoding share, checked (`caller` names the function in errors). */
export function tokenByTokenPlan(
  decoder: IncrementalDecoder,
  state: DecoderState,
  options: GreedyDecodeOptions,
  caller: string,
): TokenByTokenPlan {
  const vocabularySize = checkDecoder(decoder, caller);
  return {
    start: resolveStart(options.start, state, vocabularySize, caller),
    maxLength: checkCount(options.maxLength, 'maxLength', caller, 'Pass the longest output you accept, in tokens.'),
    endToken: options.endToken === undefined ? undefined : checkTokenId(options.endToken, 'endToken', vocabularySize, caller),
    excluded: exclusionRow(options.exclude, vocabularySize, caller),
  };
}

/** argmax per row, on the device: only (rows,) ids and scores come back. Ties go to the lowest id. */
export async function chooseMostProbable(logProbabilities: tf.Tensor2D): Promise<Chosen> {
  const { values, indices } = tf.topk(logProbabilities, 1);
  try {
    const [scores, ids] = await Promise.all([values.data(), indices.data()]);
    return { tokens: Array.from(ids), logProbabilities: Array.from(scores) };
  } finally {
    values.dispose();
    indices.dispose();
  }
}
