/** How an attention's peaks move over a split's transcripts (attentionMonotonicity). */
export interface Monotonicity {
  /** Steps from one output token to the next whose peak does not move backwards, over all steps. */
  readonly share: number;
  readonly steps: number;
  readonly backward: number;
  /**
   * How far the peak travels across each utterance, from the first token to the last, as a share of the way from its
   * first encoder step to its last; the mean over transcripts of two tokens or more. A peak that never moves (an
   * untrained model's flat attention) is trivially monotonic, and this tells it apart.
   */
  readonly travel: number;
}

/**
 * How monotonically attention runs over time: per transcript, the position of each output token's attention peak,
 * and the share of steps from one token to the next whose peak does not move backwards. Speech is read left to right,
 * so a speller that has learnt to listen moves its peak forward (or stays, within one long digit) at every step, and
 * across most of the utterance by its last digit; one that does not jumps about or stays put.
 */
export function attentionMonotonicity(attention: readonly (readonly (readonly number[])[])[]): Monotonicity {
  let steps = 0;
  let backward = 0;
  const travels: number[] = [];
  for (const rows of attention) {
    const peaks = rows.map(argMax);
    for (let t = 1; t < peaks.length; t++) {
      steps++;
      if (peaks[t]! < peaks[t - 1]!) backward++;
    }
    const width = rows[0]?.length ?? 0;
    if (peaks.length >= 2 && width >= 2) travels.push((peaks.at(-1)! - peaks[0]!) / (width - 1));
  }
  return {
    share: steps === 0 ? 0 : (steps - backward) / steps,
    steps,
    backward,
    travel: travels.length === 0 ? 0 : travels.reduce((a, b) => a + b, 0) / travels.length,
  };
}

/** The index of the largest value (the first, on a tie). */
function argMax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
