import { ConfigError, ShapeError } from '@nnkit/core';
import type { DecoderState, IncrementalDecoder } from './incremental-decoder.js';

/**
 * Checks shared by the decoding functions. `caller` names the function in messages (`beamSearch expects …`)
 * so that an error points at the call that was wrong.
 */

function show(value: unknown): string {
  return Array.isArray(value) ? `[${value.join(', ')}]` : typeof value === 'string' ? `'${value}'` : String(value);
}

/** A decoder's own promise: its logits have a positive integer width. */
export function checkDecoder(decoder: IncrementalDecoder, caller: string): number {
  const size = decoder.vocabularySize;
  if (!Number.isInteger(size) || size < 1) {
    throw new ConfigError(
      `${caller} expects decoder.vocabularySize to be an integer ≥ 1, got ${show(size)}. ` +
        `Set it to the width of the logits the decoder's step returns.`,
      'vocabularySize',
    );
  }
  return size;
}

/** maxLength, beamWidth, nBest: whole counts of at least one. */
export function checkCount(value: unknown, key: string, caller: string, hint: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${caller} expects ${key} to be an integer ≥ 1, got ${show(value)}. ${hint}`, key);
  }
  return value;
}

/** A finite number (`lengthPenalty`, `temperature` with min 0, `seed`). */
export function checkNumber(
  value: unknown,
  key: string,
  caller: string,
  options: { min?: number; integer?: boolean; hint: string },
): number {
  const { min, integer = false, hint } = options;
  const ok =
    typeof value === 'number' && Number.isFinite(value) && (!integer || Number.isInteger(value)) && (min === undefined || value >= min);
  if (!ok) {
    const kind = `${integer ? 'an integer' : 'a finite number'}${min !== undefined ? ` ≥ ${min}` : ''}`;
    throw new ConfigError(`${caller} expects ${key} to be ${kind}, got ${show(value)}. ${hint}`, key);
  }
  return value as number;
}

/** A token id the decoder can read and produce: an integer in [0, vocabularySize). */
export function checkTokenId(value: unknown, key: string, vocabularySize: number, caller: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= vocabularySize) {
    throw new ConfigError(
      `${caller} expects ${key} to be token ids in [0, ${vocabularySize}) (the decoder's vocabularySize), got ${show(value)}. ` +
        `Encode tokens with the vocabulary the model was trained on.`,
      key,
    );
  }
  return value;
}

/**
 * The number of rows of a state: every tensor is batch-major, so all share their first dimension. An empty
 * state (a decoder that keeps nothing between steps) has no batch of its own: undefined.
 */
export function stateBatchSize(state: DecoderState, caller: string): number | undefined {
  const first = state[0];
  if (!first) return undefined;
  for (const [i, tensor] of state.entries()) {
    if (tensor.rank === 0 || tensor.shape[0] !== first.shape[0]) {
      throw new ShapeError(
        `${caller} expects every state tensor to be batch-major with ${first.shape[0]} rows (as tensor 0), ` +
          `got tensor ${i} of shape [${tensor.shape.join(', ')}]. Put the batch first in every tensor of the decoder's state.`,
      );
    }
  }
  return first.shape[0];
}

/** The first token of every row: one id for all rows, or one per row of the state. */
export function resolveStart(start: number | readonly number[], state: DecoderState, vocabularySize: number, caller: string): number[] {
  const batch = stateBatchSize(state, caller);
  if (typeof start === 'number' || !Array.isArray(start)) {
    checkTokenId(start, 'start', vocabularySize, caller);
    return new Array<number>(batch ?? 1).fill(start as number);
  }
  if (batch !== undefined && start.length !== batch) {
    throw new ShapeError(
      `${caller} expects one start token per row of the state (${batch}), got ${start.length}. ` +
        `Pass a single id to start every row with it, or one id per row.`,
    );
  }
  if (start.length === 0) {
    throw new ShapeError(`${caller} expects at least one start token, got []. Pass one id per row to decode.`);
  }
  start.forEach((id) => checkTokenId(id, 'start', vocabularySize, caller));
  return [...start];
}

/**
 * Excluded ids as a row to add to log-probabilities: −∞ where a token must never be produced (fairseq sets
 * `lprobs[:, unk] = -inf` the same way, after the softmax, so scores stay the model's own). Undefined when
 * nothing is excluded.
 */
export function exclusionRow(exclude: readonly number[] | undefined, vocabularySize: number, caller: string): Float32Array | undefined {
  if (exclude === undefined || exclude.length === 0) return undefined;
  if (!Array.isArray(exclude)) {
    throw new ConfigError(
      `${caller} expects exclude to be an array of token ids, got ${show(exclude)}. Pass e.g. [padId, unknownId].`,
      'exclude',
    );
  }
  const row = new Float32Array(vocabularySize);
  for (const id of exclude) row[checkTokenId(id, 'exclude', vocabularySize, caller)] = -Infinity;
  if (row.every((value) => value === -Infinity)) {
    throw new ConfigError(
      `${caller} expects exclude to leave at least one token to produce, got all ${vocabularySize} ids. Exclude fewer tokens.`,
      'exclude',
    );
  }
  return row;
}
