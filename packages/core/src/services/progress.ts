/**
 * How long work reports itself. On a terminal: one bar redrawn in place with ETA, throughput and metrics;
 * elsewhere (CI, pipes): plain lines, at most one every `intervalMs`, and one at the end. Progress goes to
 * stderr so that stdout stays clean for `--json`.
 */
export interface ProgressReporter {
  /** `done`: units finished before this task started (a resumed run's): they count toward `total`, not the rate. */
  start(label: string, options?: { total?: number; unit?: string; done?: number }): ProgressTask;
  /** An informational line (which backend was chosen, where a file was written). */
  log(message: string): void;
}

export interface ProgressTask {
  /**
   * `done` units finished so far (of `total`), with the latest metrics (loss, accuracy, …); a trainer also says which
   * optimizer step that was (`at.step`, counted from the run's first start), for observers that plot by step.
   */
  update(done: number, metrics?: Readonly<Record<string, number>>, at?: { readonly step: number }): void;
  /** An epoch ended: its number (from 1), the steps done, its training and validation metrics. */
  epochEnd?(log: { readonly epoch: number; readonly step: number; readonly metrics: Readonly<Record<string, number>> }): void;
  end(metrics?: Readonly<Record<string, number>>): void;
}
