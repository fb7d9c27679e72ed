import type * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '@nnkit/core';
import { checkNumber } from './decoding-options.js';
import { rowOf } from './checked-step.js';
import { chooseMostProbable, tokenByTokenPlan, type GreedyDecodeOptions } from './greedy-decode.js';
import type { DecoderState, IncrementalDecoder } from './incremental-decoder.js';
import { decodeTokenByToken, type Chosen, type DecodeResult } from './token-by-token.js';

export interface SampleDecodeOptions extends GreedyDecodeOptions {
  /**
   * Divides the logits before the softmax (default 1: the model's own distribution). Below 1 sharpens it,
   * above 1 flattens it; 0 is greedy decoding.
   */
  readonly temperature?: number;
  /** Seeds the draws (mulberry32): the same seed, decoder and options give the same tokens. */
  readonly seed: number;
}

/**
 * Draws each token from softmax(logits / temperature), excluded ids never drawn, with a seeded generator
 * instead of Math.random so that a sample can be reproduced. `logProbability` is under the model's own
 * distribution (temperature 1), so that it compares with greedy and beam decoding of the same model.
 */
export async function sampleDecode(decoder: IncrementalDecoder, state: DecoderState, options: SampleDecodeOptions): Promise<DecodeResult> {
  const caller = 'sampleDecode';
  const plan = tokenByTokenPlan(decoder, state, options, caller);
  const temperature = checkNumber(options.temperature ?? 1, 'temperature', caller, {
    min: 0,
    hint: 'Use 1 for the model’s distribution, below 1 to sharpen it, 0 for greedy decoding.',
  });
  const seed = checkNumber(options.seed, 'seed', caller, {
    integer: true,
    hint: "Pass an integer, e.g. kit.random.derive('sample').",
  });
  const choose = temperature === 0 ? chooseMostProbable : drawTokens(mulberry32(seed), temperature);
  return decodeTokenByToken(decoder, state, plan, choose);
}

/** Reads the log-probabilities back and draws on the CPU, row after row, from the one seeded stream. */
function drawTokens(random: () => number, temperature: number): (logProbabilities: tf.Tensor2D) => Promise<Chosen> {
  return async (logProbabilities) => {
    const [rows, width] = logProbabilities.shape;
    const values = await logProbabilities.data();
    const tokens: number[] = [];
    const scores: number[] = [];
    for (let row = 0; row < rows; row++) {
      const token = drawOne(rowOf(values, row, width), temperature, random());
      tokens.push(token);
      scores.push(values[row * width + token]!);
    }
    return { tokens, logProbabilities: scores };
  };
}

/**
 * Inverse-CDF draw from softmax(logProbabilities / temperature), in float64. log-softmax(l) differs from l by a
 * constant per row, so dividing it by the temperature is the same as dividing the logits. −∞ (excluded) gets
 * weight 0 and is never drawn.
 */
function drawOne(logProbabilities: readonly number[], temperature: number, uniform: number): number {
  const top = logProbabilities.reduce((best, lp) => Math.max(best, lp), -Infinity);
  const weights = logProbabilities.map((lp) => Math.exp((lp - top) / temperature));
  const total = weights.reduce((sum, w) => sum + w, 0);
  let target = uniform * total;
  let last = -1;
  for (const [token, weight] of weights.entries()) {
    if (weight === 0) continue;
    last = token;
    target -= weight;
    if (target < 0) return token;
  }
  return last; // rounding left target ≥ 0: the last token that could be drawn
}
