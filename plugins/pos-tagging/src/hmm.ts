import { ConfigError, DataError } from '@nnkit/core';

/**
 * A first-order hidden Markov model over `states` hidden states (tags) and `symbols` observations (word ids), in log
 * space, as the lecture's slide writes it:
 *
 *   p(S_1 … S_T, O_1 … O_T) = p(S_1) · Π_{t>1} p(S_t | S_{t−1}) · p(end | S_T) · Π_t p(O_t | S_t)
 *
 * (with p(S_1) the transition from a start state, and an end transition so that sentence ends are modelled too).
 * Plain arrays: counting and Viterbi need no tensors.
 */
export interface Hmm {
  readonly states: number;
  readonly symbols: number;
  /** log p(S_1 = j), (states). */
  readonly logStart: Float64Array;
  /** log p(S_t = j | S_{t−1} = i) at i · states + j, (states × states). */
  readonly logTransition: Float64Array;
  /** log p(end | S_T = i), (states). */
  readonly logEnd: Float64Array;
  /** log p(O = v | S = j) at j · symbols + v, (states × symbols). */
  readonly logEmission: Float64Array;
}

/** A sequence of observations with its hidden states: the training data of a supervised HMM. */
export interface StateSequence {
  readonly symbols: readonly number[];
  readonly states: readonly number[];
}

export interface HmmCounting {
  readonly states: number;
  readonly symbols: number;
  /** Add-k for transitions (start and end included): every tag may follow every other. Default 0.1. */
  readonly transitionSmoothing?: number;
  /**
   * Add-k for emissions: every symbol gets some probability from every tag. Kept small (default 0.01): with thousands
   * of symbols, add-one would hand rare tags most of their mass for words they never emit. Unseen words are not left
   * to it: they read as their word class, whose emissions are counted from the rare words of training.
   */
  readonly emissionSmoothing?: number;
}

/** log((count + k) / (total + k · outcomes)) for each of `outcomes` counts starting at `offset`. */
function logSmoothed(counts: Float64Array, offset: number, outcomes: number, k: number, into: Float64Array, at: number): void {
  let total = 0;
  for (let j = 0; j < outcomes; j++) total += counts[offset + j]!;
  const denominator = Math.log(total + k * outcomes);
  for (let j = 0; j < outcomes; j++) into[at + j] = Math.log(counts[offset + j]! + k) - denominator;
}

function checkSmoothing(name: string, k: number): void {
  if (!(Number.isFinite(k) && k > 0))
    throw new ConfigError(`countHmm expects ${name} > 0 (add-k needs a positive k, else unseen events get probability 0), got ${k}.`, name);
}

/**
 * The HMM of `sequences`' relative frequencies of tag bigrams and of (tag, word) pairs with k added to every count:
 * the posterior mean under a symmetric Dirichlet(k) prior on each distribution (equally, the MAP estimate under
 * Dirichlet(k + 1)); as k → 0, the maximum-likelihood estimate.
 */
export function countHmm(sequences: readonly StateSequence[], options: HmmCounting): Hmm {
  const { states, symbols, transitionSmoothing = 0.1, emissionSmoothing = 0.01 } = options;
  checkSmoothing('transitionSmoothing', transitionSmoothing);
  checkSmoothing('emissionSmoothing', emissionSmoothing);
  // Row `states` of the transition counts is the start state; column `states` is the end.
  const width = states + 1;
  const transitions = new Float64Array(width * width);
  const emissions = new Float64Array(states * symbols);
  for (const [n, { symbols: observed, states: hidden }] of sequences.entries()) {
    if (observed.length !== hidden.length)
      throw new DataError(
        `countHmm expects one state per symbol, got ${observed.length} symbols and ${hidden.length} states in sequence ${n}.`,
      );
    let previous = states;
    for (let t = 0; t < hidden.length; t++) {
      const [state, symbol] = [hidden[t]!, observed[t]!];
      if (!(state >= 0 && state < states && symbol >= 0 && symbol < symbols))
        throw new DataError(
          `countHmm expects states in 0 … ${states - 1} and symbols in 0 … ${symbols - 1}, got state ${state} and symbol ${symbol} at step ${t} of sequence ${n}.`,
        );
      transitions[previous * width + state]! += 1;
      emissions[state * symbols + symbol]! += 1;
      previous = state;
    }
    if (hidden.length > 0) transitions[previous * width + states]! += 1;
  }
  // Normalized over the states and the end together, so that p(· | i) and p(end | i) sum to 1; the start over the
  // states alone (a sentence has a word).
  const rows = new Float64Array(width * width);
  for (let i = 0; i < states; i++) logSmoothed(transitions, i * width, width, transitionSmoothing, rows, i * width);
  logSmoothed(transitions, states * width, states, transitionSmoothing, rows, states * width);
  rows[states * width + states] = -Infinity;
  const logEmission = new Float64Array(states * symbols);
  for (let j = 0; j < states; j++) logSmoothed(emissions, j * symbols, symbols, emissionSmoothing, logEmission, j * symbols);
  return splitTransitions(rows, states, logEmission, symbols);
}

/**
 * An HMM from one (states + 1) × (states + 1) table of log transitions, row `states` the start and column `states` the
 * end (the layout the model's weights keep), and its emissions.
 */
export function splitTransitions(table: ArrayLike<number>, states: number, logEmission: ArrayLike<number>, symbols: number): Hmm {
  const width = states + 1;
  const logTransition = new Float64Array(states * states);
  const logStart = new Float64Array(states);
  const logEnd = new Float64Array(states);
  for (let i = 0; i < states; i++) {
    for (let j = 0; j < states; j++) logTransition[i * states + j] = table[i * width + j]!;
    logEnd[i] = table[i * width + states]!;
    logStart[i] = table[states * width + i]!;
  }
  return { states, symbols, logStart, logTransition, logEnd, logEmission: Float64Array.from(logEmission) };
}

/** log p(states, symbols) under `hmm`: the quantity Viterbi maximizes over the states. */
export function logJoint(hmm: Hmm, symbols: readonly number[], states: readonly number[]): number {
  if (symbols.length === 0) return 0;
  const { states: n, symbols: v } = hmm;
  let total = hmm.logStart[states[0]!]! + hmm.logEnd[states.at(-1)!]!;
  for (let t = 0; t < symbols.length; t++) {
    total += hmm.logEmission[states[t]! * v + symbols[t]!]!;
    if (t > 0) total += hmm.logTransition[states[t - 1]! * n + states[t]!]!;
  }
  return total;
}

/**
 * The most probable states for `symbols` (Viterbi 1967), in log space so that long sentences do not underflow:
 * δ_1(j) = log p(S_1 = j) + log p(O_1 | j); δ_t(j) = max_i [δ_{t−1}(i) + log p(j | i)] + log p(O_t | j); the best
 * last state maximizes δ_T(i) + log p(end | i), and back-pointers give the rest. O(T · states²).
 */
export function viterbi(hmm: Hmm, symbols: readonly number[]): { states: number[]; logProbability: number } {
  const { states: n, symbols: v } = hmm;
  const time = symbols.length;
  if (time === 0) return { states: [], logProbability: 0 };
  for (const symbol of symbols)
    if (!(symbol >= 0 && symbol < v))
      throw new DataError(`viterbi expects symbols in 0 … ${v - 1}, got ${symbol}. Encode words with the model's vocabulary.`);
  let delta = new Float64Array(n);
  for (let j = 0; j < n; j++) delta[j] = hmm.logStart[j]! + hmm.logEmission[j * v + symbols[0]!]!;
  const back = new Int32Array(time * n);
  for (let t = 1; t < time; t++) {
    const next = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let [best, argBest] = [-Infinity, 0];
      for (let i = 0; i < n; i++) {
        const score = delta[i]! + hmm.logTransition[i * n + j]!;
        if (score > best) [best, argBest] = [score, i];
      }
      next[j] = best + hmm.logEmission[j * v + symbols[t]!]!;
      back[t * n + j] = argBest;
    }
    delta = next;
  }
  let [best, last] = [-Infinity, 0];
  for (let i = 0; i < n; i++) {
    const score = delta[i]! + hmm.logEnd[i]!;
    if (score > best) [best, last] = [score, i];
  }
  const path = new Array<number>(time);
  path[time - 1] = last;
  for (let t = time - 1; t > 0; t--) path[t - 1] = back[t * n + path[t]!]!;
  return { states: path, logProbability: best };
}
