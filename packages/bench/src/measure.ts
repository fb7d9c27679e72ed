/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface Measurement {
  /** Work units per second in each repeat (images/s, tokens/s, GFLOP/s). */
  readonly rates: number[];
  readonly median: number;
}

/**
 * Runs `step` (which does `unitsPerStep` units of work and resolves when the backend has finished it) after
 * `warmup` untimed steps, then `repeats` times for at least `minSeconds` each, and returns each repeat's rate.
 * The machine is shared and noisy: report the median, never one run.
 */
export async function measure(
  step: () => Promise<void>,
  unitsPerStep: number,
  { warmup, repeats, minSeconds }: { warmup: number; repeats: number; minSeconds: number },
): Promise<Measurement> {
  for (let i = 0; i < warmup; i++) await step();
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    let steps = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      await step();
      steps++;
      elapsed = (performance.now() - start) / 1000;
    } while (elapsed < minSeconds);
    rates.push((steps * unitsPerStep) / elapsed);
  }
  return { rates, median: median(rates) };
}
