/**
 * How beam search ranks hypotheses of different lengths: fairseq's `lenpen`, score = logP / length^α.
 * Log-probabilities only fall as tokens are added, so unnormalized (α = 0) search prefers short outputs;
 * α = 1 ranks by mean log-probability per token; α between trades one against the other.
 */

/** logP / length^α, where length counts the emitted tokens, the end token included. */
export function normalizedScore(logProbability: number, length: number, lengthPenalty: number): number {
  return logProbability / length ** lengthPenalty;
}

/**
 * The best score a live hypothesis could still finish with: it will emit at least one more token, and its
 * log-probability can only fall (log-softmax ≤ 0). score(L) = logP / L^α is monotone in L, so the bound is at one
 * end of [length + 1, maxLength]. fairseq (before it dropped `stop_early=False`) bounded with maxLength alone,
 * which holds for α ≥ 0; the two ends also cover α < 0.
 */
export function bestReachableScore(logProbability: number, length: number, maxLength: number, lengthPenalty: number): number {
  return Math.max(normalizedScore(logProbability, length + 1, lengthPenalty), normalizedScore(logProbability, maxLength, lengthPenalty));
}
