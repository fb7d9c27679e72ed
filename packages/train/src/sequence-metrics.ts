/**
 * Scores for generated sequences against references, over a whole split: what G2P, translation and captioning
 * papers report. Each takes every hypothesis of the split at once (corpus-level, never a mean of per-batch values),
 * and where a source has several accepted references (CMUdict's alternative pronunciations) each hypothesis is
 * scored against the reference closest to it, as the G2P literature does.
 */

/** Levenshtein distance between two token sequences: insertions, deletions and substitutions, each costing 1. */
export function editDistance(a: readonly number[], b: readonly number[]): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

export interface SequenceScores {
  /** Hypotheses equal to one of their references. */
  readonly exactMatch: number;
  /**
   * Word error rate as G2P reports it: the fraction of sources (words) whose output is not exactly one of the
   * references (1 − exactMatch).
   */
  readonly wordErrorRate: number;
  /** Token (phone) error rate: Σ edit distance to the closest reference / Σ that reference's length. */
  readonly tokenErrorRate: number;
  /** Corpus BLEU-4 (Papineni et al. 2002), in [0, 1]. */
  readonly bleu: number;
  readonly count: number;
}

/**
 * Exact match, word and token error rates, and corpus BLEU of `hypotheses` against `references` (one list of
 * accepted references per hypothesis).
 */
export function scoreSequences(hypotheses: readonly (readonly number[])[], references: readonly (readonly (readonly number[])[])[]): SequenceScores {
  if (hypotheses.length !== references.length) {
    throw new RangeError(`scoreSequences expects one list of references per hypothesis, got ${hypotheses.length} hypotheses and ${references.length} reference lists.`);
  }
  let exact = 0;
  let errors = 0;
  let referenceTokens = 0;
  const closest: (readonly number[])[] = [];
  hypotheses.forEach((hypothesis, i) => {
    const options = references[i]!;
    if (options.length === 0) throw new RangeError(`scoreSequences expects at least one reference per hypothesis, got none at ${i}.`);
    let best = options[0]!;
    let bestDistance = Infinity;
    for (const reference of options) {
      const distance = editDistance(hypothesis, reference);
      if (distance < bestDistance || (distance === bestDistance && reference.length > best.length)) [best, bestDistance] = [reference, distance];
    }
    if (bestDistance === 0) exact++;
    errors += bestDistance;
    referenceTokens += best.length;
    closest.push(best);
  });
  const count = hypotheses.length;
  return {
    exactMatch: count === 0 ? 0 : exact / count,
    wordErrorRate: count === 0 ? 0 : 1 - exact / count,
    tokenErrorRate: referenceTokens === 0 ? 0 : errors / referenceTokens,
    bleu: corpusBleu(hypotheses, references),
    count,
  };
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

/**
 * Corpus BLEU (Papineni et al. 2002): the geometric mean of modified n-gram precisions for n = 1 … maxOrder, each
 * clipped by the most times the n-gram appears in any one reference, summed over the corpus before dividing; times
 * the brevity penalty exp(1 − r / c) when the hypotheses are shorter than the references closest in length.
 */
export function corpusBleu(hypotheses: readonly (readonly number[])[], references: readonly (readonly (readonly number[])[])[], maxOrder = 4): number {
  const matches = new Array<number>(maxOrder).fill(0);
  const totals = new Array<number>(maxOrder).fill(0);
  let hypothesisLength = 0;
  let referenceLength = 0;
  hypotheses.forEach((hypothesis, i) => {
    const options = references[i]!;
    hypothesisLength += hypothesis.length;
    // The reference length closest to the hypothesis's (the shorter on a tie), as in the original BLEU script.
    referenceLength += options.map((r) => r.length).reduce((best, length) => {
      const [d, db] = [Math.abs(length - hypothesis.length), Math.abs(best - hypothesis.length)];
      return d < db || (d === db && length < best) ? length : best;
    });
    for (let n = 1; n <= maxOrder; n++) {
      const counts = ngramCounts(hypothesis, n);
      const maxReference = new Map<string, number>();
      for (const reference of options) for (const [key, count] of ngramCounts(reference, n)) maxReference.set(key, Math.max(maxReference.get(key) ?? 0, count));
      for (const [key, count] of counts) matches[n - 1]! += Math.min(count, maxReference.get(key) ?? 0);
      totals[n - 1]! += Math.max(0, hypothesis.length - n + 1);
    }
  });
  if (matches.some((m) => m === 0)) return 0;
  const logPrecision = matches.reduce((sum, m, k) => sum + Math.log(m / totals[k]!), 0) / maxOrder;
  const brevity = hypothesisLength < referenceLength ? Math.exp(1 - referenceLength / Math.max(hypothesisLength, 1)) : 1;
  return brevity * Math.exp(logPrecision);
}
