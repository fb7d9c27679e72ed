/** A run as observers hear of it when it starts. */
export interface RunInfo {
  /** What the run is called: the model's key (`gru/parity`), a recipe's label (`unclipped`). */
  readonly label: string;
  /** Units of work in the whole run (examples, tokens), where known, and the unit's name. */
  readonly total?: number;
  readonly unit: string;
  /** Units done before this start: a resumed run's. */
  readonly done: number;
}

export interface StepReport {
  readonly run: RunInfo;
  /** Optimizer steps done, counted from the run's first start (a resumed run goes on from where it stopped). */
  readonly step?: number;
  /** Units done, of `run.total`. */
  readonly done: number;
  /** That step's numbers: `loss`. */
  readonly metrics: Readonly<Record<string, number>>;
}

export interface EpochReport {
  readonly run: RunInfo;
  /** The epoch that ended, from 1, and the steps done by then. */
  readonly epoch: number;
  readonly step: number;
  /** Training (`loss`, …) and validation (`val_loss`, `val_accuracy`, …) metrics of the epoch. */
  readonly metrics: Readonly<Record<string, number>>;
}

export interface RunEndReport {
  readonly run: RunInfo;
  /** Seconds from start to end, by the kit's clock. */
  readonly seconds: number;
  /** The last step reached (absent when no step was taken in this start). */
  readonly step?: number;
}

/**
 * Hears every training run the kit's progress reporter is given (`nnkit train`, recipes, `train({ progress:
 * kit.progress })`): its start, each step, each epoch's metrics, its end, and informational lines. Every method is
 * optional. Bound under `TOKENS.RunObserver`, many at once: plugins add observers (a TensorBoard writer), and the
 * progress display is one of them. An observer that throws is dropped for the rest of the run, with one line saying so;
 * the training goes on.
 */
export interface RunObserver {
  /** Shown when it fails. */
  readonly name?: string;
  runStart?(run: RunInfo): void;
  step?(report: StepReport): void;
  epochEnd?(report: EpochReport): void;
  runEnd?(report: RunEndReport): void;
  log?(line: string): void;
}
