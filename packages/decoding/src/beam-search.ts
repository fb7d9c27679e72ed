import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@nnkit/core';
import { readStep, scoredStep } from './checked-step.js';
import { checkCount, checkDecoder, checkNumber, checkTokenId, exclusionRow, resolveStart } from './decoding-options.js';
import { reorderRows } from './gather-rows.js';
import type { DecoderState, IncrementalDecoder } from './incremental-decoder.js';
import { bestReachableScore, normalizedScore } from './length-penalty.js';
import { releaseState } from './release-state.js';

export interface BeamSearchOptions {
  /** The first token fed to every row: one id, or one per row of the state. */
  readonly start: number | readonly number[];
  /** Hypotheses kept alive per row (W). 1 is greedy decoding. */
  readonly beamWidth: number;
  /** Most tokens a hypothesis emits, the end token included; a hypothesis that reaches it finishes there. */
  readonly maxLength: number;
  /** A hypothesis that emits it finishes and leaves the beam, which refills from the next best. Default: none. */
  readonly endToken?: number;
  /** α in score = logP / length^α (fairseq's lenpen). Default 1: mean log-probability per token; 0: plain logP. */
  readonly lengthPenalty?: number;
  /** Token ids never produced (padding, unknown). */
  readonly exclude?: readonly number[];
  /** Hypotheses returned per row, best first (default 1, at most beamWidth). */
  readonly nBest?: number;
  /**
   * Default true (fairseq): a row stops once W of its hypotheses have finished, although with lengthPenalty > 0
   * a longer live one might still have scored better. false: a row stops only when no live hypothesis can beat
   * the worst of the W kept (its logP can only fall, its length is at most maxLength), which often means
   * running to maxLength.
   */
  readonly stopEarly?: boolean;
}

export interface Hypothesis {
  /** Emitted tokens, without the start token and without the end token (see `ended`). */
  readonly tokens: number[];
  /** Sum of the model's log-softmax over the emitted tokens, the end token included. */
  readonly logProbability: number;
  /** logProbability / length^lengthPenalty, length counting the end token: what hypotheses are ranked by. */
  readonly score: number;
  /** Whether the hypothesis emitted endToken (true) or reached maxLength (false). */
  readonly ended: boolean;
  /** Where the decoder returns attention: per token of `tokens`, the weights over source positions. */
  readonly attention?: number[][];
}

/**
 * One emitted token of a hypothesis, linked to the token before it: hypotheses that share a prefix share its
 * nodes, and extending one by a token costs one node. Copying each hypothesis's token list instead costs O(W·L)
 * per step and O(W·L²) in all; here a step costs O(W), and what stays in memory is the tokens (and their
 * attention rows) that some live or kept hypothesis still reaches: at most 2W·L of them, linear in the length.
 */
interface TokenNode {
  readonly token: number;
  /** This token's weights over the source positions, where the decoder returns attention. */
  readonly attention: Float32Array | undefined;
  readonly previous: TokenNode | undefined;
}

/** A live hypothesis; beams[i] is decoded by row i of the current state, and a row's beams are contiguous. */
interface Beam {
  readonly row: number;
  /** Its last emitted token (undefined before the first), which links back to the others. */
  readonly tail: TokenNode | undefined;
  readonly logProbability: number;
  /** The token to feed next. */
  readonly last: number;
}

/** A finished hypothesis, its tokens still linked: only the nBest returned are written out as arrays. */
interface Kept {
  readonly tail: TokenNode | undefined;
  readonly logProbability: number;
  readonly score: number;
  readonly ended: boolean;
}

/** A beam extended by one token: parent is the index of the beam (and of its row in the state). */
interface Candidate {
  readonly parent: number;
  readonly token: number;
  readonly logProbability: number;
}

/**
 * Beam search for a batch of contexts, after fairseq's `sequence_generator`: each step, every row keeps the W
 * best continuations of its live hypotheses by cumulative log-probability, and the state is reordered by the
 * chosen parents (`decoder.reorderState`, else `gatherRows`): duplicated where a hypothesis has several
 * children, dropped where it has none, and the state's B rows become B·W after the first step. Resolves to
 * the nBest finished hypotheses of each row of `state` (which stays the caller's), best score first; fewer
 * where fewer could be formed (a tiny vocabulary, most ids excluded). Memory grows linearly with maxLength.
 */
export async function beamSearch(decoder: IncrementalDecoder, state: DecoderState, options: BeamSearchOptions): Promise<Hypothesis[][]> {
  const plan = beamPlan(decoder, state, options);
  const { start, width, maxLength, endToken, lengthPenalty, excluded, nBest } = plan;

  // fairseq takes 2W candidates per row: even if W of them end, W remain to refill the beam.
  const candidatesPerBeam = Math.min(2 * width, decoder.vocabularySize);
  const finished: Kept[][] = start.map(() => []);
  let withAttention = false;
  let beams: Beam[] = start.map((last, row) => ({ row, tail: undefined, logProbability: 0, last }));
  let current = state;
  try {
    for (let length = 1; length <= maxLength && beams.length > 0; length++) {
      const step = scoredStep(
        decoder,
        beams.map((beam) => beam.last),
        current,
        excluded,
      );
      releaseState(current, state, step.state);
      current = step.state;
      const { chosen: top, weights, sources } = await readStep(step, (scores) => topCandidates(scores, candidatesPerBeam));
      withAttention ||= weights !== undefined;

      /** The parent's tokens plus the candidate's token (left out when it ends: the end token is not part of the output). */
      const extend = (candidate: Candidate): Beam => {
        const parent = beams[candidate.parent]!;
        const ends = candidate.token === endToken;
        // slice, not subarray: a view would keep this step's whole (beams, sources) buffer alive.
        const attention = weights && (weights.slice(candidate.parent * sources, (candidate.parent + 1) * sources) as Float32Array);
        return {
          row: parent.row,
          tail: ends ? parent.tail : { token: candidate.token, attention, previous: parent.tail },
          logProbability: candidate.logProbability,
          last: candidate.token,
        };
      };
      const finish = (candidate: Candidate, ended: boolean): void => {
        const { row, tail, logProbability } = extend(candidate);
        keepBest(finished[row]!, { tail, logProbability, score: normalizedScore(logProbability, length, lengthPenalty), ended }, width);
      };

      const next: Beam[] = [];
      const order: number[] = [];
      for (const [from, to] of rowRanges(beams)) {
        const row = beams[from]!.row;
        const { ends, continuing } = selectCandidates(rankCandidates(beams, from, to, top, candidatesPerBeam), width, endToken);
        for (const candidate of ends) finish(candidate, true);
        if (length === maxLength) {
          for (const candidate of continuing) finish(candidate, false);
          continue;
        }
        if (rowIsDone(finished[row]!, continuing, length, plan)) continue;
        for (const candidate of continuing) {
          next.push(extend(candidate));
          order.push(candidate.parent);
        }
      }
      if (next.length === 0) break;
      const reordered = reorderRows(decoder, current, order, beams.length);
      releaseState(current, state, reordered);
      current = reordered;
      beams = next;
    }
  } finally {
    releaseState(current, state);
  }
  return finished.map((kept) => kept.slice(0, nBest).map((hypothesis) => writeOut(hypothesis, withAttention)));
}

/** A kept hypothesis as the caller sees it: its tokens (and attention rows) in order, first to last. */
function writeOut({ tail, logProbability, score, ended }: Kept, withAttention: boolean): Hypothesis {
  const tokens: number[] = [];
  const attention: number[][] = [];
  for (let node = tail; node; node = node.previous) {
    tokens.push(node.token);
    if (node.attention) attention.push(Array.from(node.attention));
  }
  return {
    tokens: tokens.reverse(),
    logProbability,
    score,
    ended,
    ...(withAttention && { attention: attention.reverse() }),
  };
}

interface BeamPlan {
  readonly start: number[];
  readonly width: number;
  readonly maxLength: number;
  readonly endToken: number | undefined;
  readonly lengthPenalty: number;
  readonly excluded: Float32Array | undefined;
  readonly nBest: number;
  readonly stopEarly: boolean;
}

/** The options checked, with their defaults filled in. */
function beamPlan(decoder: IncrementalDecoder, state: DecoderState, options: BeamSearchOptions): BeamPlan {
  const caller = 'beamSearch';
  const vocabularySize = checkDecoder(decoder, caller);
  const width = checkCount(options.beamWidth, 'beamWidth', caller, 'Use 1 for greedy decoding, 4 to 10 for the usual beam search.');
  const nBest = checkCount(options.nBest ?? 1, 'nBest', caller, 'Ask for how many hypotheses per row you want returned.');
  if (nBest > width) {
    throw new ConfigError(
      `${caller} expects nBest to be at most beamWidth (${width}), got ${nBest}. Raise beamWidth or ask for fewer hypotheses.`,
      'nBest',
    );
  }
  return {
    start: resolveStart(options.start, state, vocabularySize, caller),
    width,
    maxLength: checkCount(options.maxLength, 'maxLength', caller, 'Pass the longest output you accept, in tokens.'),
    endToken: options.endToken === undefined ? undefined : checkTokenId(options.endToken, 'endToken', vocabularySize, caller),
    lengthPenalty: checkNumber(options.lengthPenalty ?? 1, 'lengthPenalty', caller, {
      hint: 'Use 1 to rank by mean log-probability per token, 0 for plain log-probability.',
    }),
    excluded: exclusionRow(options.exclude, vocabularySize, caller),
    nBest,
    stopEarly: options.stopEarly ?? true,
  };
}

/**
 * Whether a row needs no more steps once its hypotheses of `length` tokens are formed: nothing left alive, or W
 * finished and (stopEarly, or no live hypothesis able to beat the worst of them; see `stopEarly`).
 */
function rowIsDone(finished: readonly Kept[], continuing: readonly Candidate[], length: number, plan: BeamPlan): boolean {
  if (continuing.length === 0) return true;
  if (finished.length < plan.width) return false;
  if (plan.stopEarly) return true;
  const worstKept = finished[finished.length - 1]!.score;
  return continuing.every((c) => bestReachableScore(c.logProbability, length, plan.maxLength, plan.lengthPenalty) <= worstKept);
}

/** The k best (log-probability, token) of every beam, found on the device: only (beams, k) come back. */
async function topCandidates(logProbabilities: tf.Tensor2D, k: number): Promise<{ scores: tf.TypedArray; ids: tf.TypedArray }> {
  const { values, indices } = tf.topk(logProbabilities, k);
  try {
    const [scores, ids] = await Promise.all([values.data(), indices.data()]);
    return { scores, ids };
  } finally {
    values.dispose();
    indices.dispose();
  }
}

/** [from, to) index ranges of the beams of each row, in order. */
function rowRanges(beams: readonly Beam[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  beams.forEach((beam, i) => {
    if (i === 0 || beams[i - 1]!.row !== beam.row) ranges.push([i, i + 1]);
    else ranges[ranges.length - 1]![1] = i + 1;
  });
  return ranges;
}

/**
 * Every continuation of beams [from, to) that the device's top-k found, best cumulative log-probability first
 * (ties: earlier beam, then lower rank). The row's best 2W overall are among them: each is in its own beam's
 * top 2W. Impossible ones (−∞: excluded) are left out.
 */
function rankCandidates(
  beams: readonly Beam[],
  from: number,
  to: number,
  top: { scores: tf.TypedArray; ids: tf.TypedArray },
  k: number,
): Candidate[] {
  const candidates: Candidate[] = [];
  for (let parent = from; parent < to; parent++) {
    for (let j = 0; j < k; j++) {
      const score = top.scores[parent * k + j]!;
      if (score === -Infinity) break; // top-k is sorted: the rest are impossible too
      candidates.push({
        parent,
        token: top.ids[parent * k + j]!,
        logProbability: beams[parent]!.logProbability + score,
      });
    }
  }
  return candidates.sort((a, b) => b.logProbability - a.logProbability);
}

/**
 * fairseq's rule: an end among the W best candidates finishes a hypothesis (an end ranked lower would not
 * have been in the beam, and is ignored); the W best that do not end are the next beam.
 */
function selectCandidates(
  ranked: readonly Candidate[],
  width: number,
  endToken: number | undefined,
): { ends: Candidate[]; continuing: Candidate[] } {
  const ends: Candidate[] = [];
  const continuing: Candidate[] = [];
  for (const [rank, candidate] of ranked.entries()) {
    if (candidate.token === endToken) {
      if (rank < width) ends.push(candidate);
    } else if (continuing.length < width) {
      continuing.push(candidate);
    }
    if (continuing.length === width && rank >= width - 1) break;
  }
  return { ends, continuing };
}

/** Inserts a finished hypothesis, keeping the `width` best by score, best first (ties: the earlier found). */
function keepBest(finished: Kept[], hypothesis: Kept, width: number): void {
  const at = finished.findIndex((kept) => hypothesis.score > kept.score);
  finished.splice(at < 0 ? finished.length : at, 0, hypothesis);
  if (finished.length > width) finished.length = width;
}
