/** One workload's throughput in one PyTorch run. */
export interface ReferenceRow {
  readonly workload: string;
  readonly unit: string;
  readonly median: number;
  readonly rates: number[];
}

/** One PyTorch build's run of the reference script at one thread count. */
export interface Reference {
  /** torch.__version__: `1.13.0`, `2.13.0+cpu`. */
  readonly version: string;
  /** How the bench names the build: `torch 1.13.0 (Debian, OpenBLAS)`. */
  readonly build: string;
  readonly threads: number;
  readonly python: string;
  readonly rows: ReferenceRow[];
}

/** The reference a row of nnkit is set against: the fastest build's row, and which build that is. */
export interface FastestReference extends ReferenceRow {
  readonly build: string;
  readonly threads: number;
}

/**
 * The fastest PyTorch on `workload` at `threads` threads among every build's runs (the highest median), or undefined
 * where no run has that row. Builds differ by workload (Debian's 1.13 with OpenBLAS can beat pip's 2.x on a
 * convolution and lose on an LSTM), so the pick is made row by row, never once for a whole build.
 */
export function fastestReference(references: readonly Reference[], workload: string, threads: number): FastestReference | undefined {
  let best: FastestReference | undefined;
  for (const reference of references) {
    if (reference.threads !== threads) continue;
    const row = reference.rows.find((r) => r.workload === workload);
    if (row && (best === undefined || row.median > best.median)) best = { ...row, build: reference.build, threads };
  }
  return best;
}
