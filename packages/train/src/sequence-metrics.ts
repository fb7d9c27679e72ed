/**
 * Scores for generated sequences against references, over a whole split: what G2P, translation and captioning
 * papers report. Each adds up counts over the split (corpus-level, never a mean of per-batch values), and where a
 * source has several accepted references (CMUdict's alternative pronunciations) each hypothesis is scored against
 * the reference closest to it, as the G2P literature does. The `Metric`s that evaluation runs are built on these
 * counts (generation-metrics.ts).
 */
import { editDistance } from '@nnkit/core';

// Levenshtein distance over token ids or words: core's, the one implementation (suggestions use it too).
export { editDistance };

/** The accepted reference closest to `hypothesis` by edit distance (the longer one on a tie), and that distance. */
export function closestReference<T>(
  hypothesis: readonly T[],
  references: readonly (readonly T[])[],
): { reference: readonly T[]; distance: number } {
  let best = references[0]!;
  let bestDistance = Infinity;
  for (const reference of references) {
    const distance = editDistance(hypothesis, reference);
    if (distance < bestDistance || (distance === bestDistance && reference.length > best.length))
      [best, bestDistance] = [reference, distance];
  }
  return { reference: best, distance: bestDistance };
}

export interface SequenceScores {
  /** Hypotheses equal to one of their references. */
  readonly exactMatch: number;
  /**
   * Hypotheses with any error: the share of outputs not exactly one of their references. G2P papers call this the
   * word error rate, each output being one word's pronunciation.
   */
  readonly sequenceErrorRate: number;
  /**
   * @deprecated The G2P literature's word error rate, which is `sequenceErrorRate` (the share of words pronounced
   * wrongly), not an edit distance over words: for that, the `wordErrorRate()` metric. Kept for callers that read it.
   */
  readonly wordErrorRate: number;
  /** Token (phone, character, word) error rate: Σ edit distance to the closest reference / Σ that reference's length. */
  readonly tokenErrorRate: number;
  /** Corpus BLEU-4 (Papineni et al. 2002), in [0, 1]. */
  readonly bleu: number;
  readonly count: number;
}

/** Refuses references that do not pair with the hypotheses one list each, or an empty list. */
export function checkReferences(hypotheses: readonly unknown[], references: readonly (readonly unknown[])[], who: string): void {
  if (hypotheses.length !== references.length) {
    throw new RangeError(
      `${who} expects one list of references per hypothesis, got ${hypotheses.length} hypotheses and ${references.length} reference lists.`,
    );
  }
  const empty = references.findIndex((options) => options.length === 0);
  if (empty >= 0) throw new RangeError(`${who} expects at least one reference per hypothesis, got none at ${empty}.`);
}

/** n-grams of `tokens` as counts, keyed by their joined ids. */
function ngramCounts(tokens: readonly number[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** BLEU's counts over a corpus so far: clipped n-gram matches and n-grams per order, and the two lengths. */
export interface BleuCounts {
  readonly matches: number[];
  readonly totals: number[];
  hypothesisLength: number;
  referenceLength: number;
}

export function bleuCounts(maxOrder = 4): BleuCounts {
  return {
    matches: new Array<number>(maxOrder).fill(0),
    totals: new Array<number>(maxOrder).fill(0),
    hypothesisLength: 0,
    referenceLength: 0,
  };
}

/** Adds one hypothesis and its accepted references to BLEU's counts. */
export function addToBleu(counts: BleuCounts, hypothesis: readonly number[], options: readonly (readonly number[])[]): void {
  counts.hypothesisLength += hypothesis.length;
  // The reference length closest to the hypothesis's (the shorter on a tie), as in the original BLEU script.
  counts.referenceLength += options
    .map((r) => r.length)
    .reduce((best, length) => {
      const [d, db] = [Math.abs(length - hypothesis.length), Math.abs(best - hypothesis.length)];
      return d < db || (d === db && length < best) ? length : best;
    });
  for (let n = 1; n <= counts.matches.length; n++) {
    const found = ngramCounts(hypothesis, n);
    const maxReference = new Map<string, number>();
    for (const reference of options)
      for (const [key, count] of ngramCounts(reference, n)) maxReference.set(key, Math.max(maxReference.get(key) ?? 0, count));
    for (const [key, count] of found) counts.matches[n - 1]! += Math.min(count, maxReference.get(key) ?? 0);
    counts.totals[n - 1]! += Math.max(0, hypothesis.length - n + 1);
  }
}

/**
 * Corpus BLEU (Papineni et al. 2002) from its counts: the geometric mean of modified n-gram precisions for n = 1 …
 * maxOrder, each clipped by the most times the n-gram appears in any one reference, summed over the corpus before
 * dividing; times the brevity penalty exp(1 − r / c) when the hypotheses are shorter than the references closest in length.
 */
export function bleuOf({ matches, totals, hypothesisLength, referenceLength }: BleuCounts): number {
  if (matches.some((m) => m === 0)) return 0;
  const logPrecision = matches.reduce((sum, m, k) => sum + Math.log(m / totals[k]!), 0) / matches.length;
  const brevity = hypothesisLength < referenceLength ? Math.exp(1 - referenceLength / Math.max(hypothesisLength, 1)) : 1;
  return brevity * Math.exp(logPrecision);
}

/** Corpus BLEU of `hypotheses` against `references` (one list of accepted references per hypothesis). */
export function corpusBleu(
  hypotheses: readonly (readonly number[])[],
  references: readonly (readonly (readonly number[])[])[],
  maxOrder = 4,
): number {
  const counts = bleuCounts(maxOrder);
  hypotheses.forEach((hypothesis, i) => addToBleu(counts, hypothesis, references[i]!));
  return bleuOf(counts);
}
