import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@nnkit/core';
import { checkedStep } from './checked-step.js';
import { checkDecoder, checkTokenId, stateBatchSize } from './decoding-options.js';
import type { DecoderState, IncrementalDecoder } from './incremental-decoder.js';
import { releaseState } from './release-state.js';

export interface FedTokens {
  /** The state after the last token of every row: new tensors the caller owns, none shared with the state fed. */
  readonly state: DecoderState;
  /** (batch, vocabularySize): the logits after the last token, the caller's to dispose. */
  readonly logits: tf.Tensor2D;
}

/**
 * Reads a prompt: steps every row of `state` through its tokens (rows of equal length, one row per row of the
 * state) and returns the state after the last one, `state` itself left to the caller. Synchronous: nothing is
 * read back from the device. To continue a prompt, feed all of it but the last token and start decoding from
 * that token:
 *
 * ```ts
 * const fed = feedTokens(lm, state, [prompt.slice(0, -1)]);
 * fed.logits.dispose();
 * const { tokens } = await greedyDecode(lm, fed.state, { start: prompt.at(-1)!, maxLength: 20 });
 * tf.dispose([...fed.state, ...state]);
 * ```
 */
export function feedTokens(decoder: IncrementalDecoder, state: DecoderState, tokens: readonly (readonly number[])[]): FedTokens {
  const caller = 'feedTokens';
  const vocabularySize = checkDecoder(decoder, caller);
  const batch = stateBatchSize(state, caller) ?? tokens.length;
  if (!Array.isArray(tokens) || tokens.length !== batch || batch === 0) {
    throw new ShapeError(
      `${caller} expects one row of tokens per row of the state (${batch}), got ${Array.isArray(tokens) ? tokens.length : String(tokens)}. Pass tokens as number[][], one array per row.`,
    );
  }
  const length = tokens[0]!.length;
  const ragged = tokens.findIndex((row) => !Array.isArray(row) || row.length !== length);
  if (ragged >= 0 || length === 0) {
    throw new ShapeError(
      `${caller} expects rows of equal length ≥ 1, got lengths [${tokens.map((row) => row.length).join(', ')}]. ` +
        `Feed the common prefix together and the rest with separate calls, or decode rows one at a time.`,
    );
  }
  tokens.forEach((row) => row.forEach((id: number) => checkTokenId(id, 'tokens', vocabularySize, caller)));

  let current = state;
  let logits: tf.Tensor2D | undefined;
  try {
    for (let position = 0; position < length; position++) {
      const step = checkedStep(
        decoder,
        tokens.map((row) => row[position]!),
        current,
      );
      step.attention?.dispose();
      logits?.dispose();
      logits = step.logits;
      releaseState(current, state, step.state);
      current = step.state;
    }
  } catch (error) {
    logits?.dispose();
    releaseState(current, state);
    throw error;
  }
  // A tensor the decoder passed through (encoder outputs) is cloned (shared data, new handle), so that the
  // caller may dispose the result and the state it fed independently.
  const inputs = new Set(state);
  return { state: current.map((tensor) => (inputs.has(tensor) ? tf.clone(tensor) : tensor)), logits: logits! };
}
