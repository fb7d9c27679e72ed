import type { Clock } from './clock.js';
import type { ProgressReporter, ProgressTask } from './progress.js';

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

/**
 * One progress reporter that tells every observer: what `kit.progress` is, and what `train` and the recipes are
 * given. `clock` times the runs.
 */
export function notifyObservers(observers: readonly RunObserver[], clock: Clock): ProgressReporter {
  const failed = new Set<RunObserver>();
  const each = (event: keyof RunObserver, call: (observer: RunObserver) => void) => {
    for (const observer of observers) {
      if (failed.has(observer)) continue;
      try {
        call(observer);
      } catch (error) {
        failed.add(observer);
        const line = `Run observer ${observer.name ?? '(unnamed)'} failed in ${event}(): ${(error as Error)?.message ?? String(error)}. It hears nothing more; training goes on.`;
        for (const other of observers) if (!failed.has(other)) other.log?.(line);
      }
    }
  };
  return {
    log: (line) => each('log', (o) => o.log?.(line)),
    start(label, { total, unit = 'it', done = 0 } = {}): ProgressTask {
      failed.clear(); // each run gives every observer another chance
      const run: RunInfo = { label, ...(total !== undefined && { total }), unit, done };
      const started = clock.now();
      let lastStep: number | undefined;
      each('runStart', (o) => o.runStart?.(run));
      return {
        update(doneNow, metrics, at) {
          if (at) lastStep = at.step;
          const report: StepReport = { run, done: doneNow, metrics: metrics ?? {}, ...(at && { step: at.step }) };
          each('step', (o) => o.step?.(report));
        },
        epochEnd(log) {
          each('epochEnd', (o) => o.epochEnd?.({ run, ...log }));
        },
        end() {
          const report: RunEndReport = {
            run,
            seconds: (clock.now() - started) / 1000,
            ...(lastStep !== undefined && { step: lastStep }),
          };
          each('runEnd', (o) => o.runEnd?.(report));
        },
      };
    },
  };
}

/** A progress reporter (the terminal bar) as one observer among others. */
export function progressObserver(reporter: ProgressReporter): RunObserver {
  const tasks = new Map<RunInfo, ProgressTask>();
  return {
    name: 'progress display',
    log: (line) => reporter.log(line),
    runStart: (run) =>
      void tasks.set(
        run,
        reporter.start(run.label, {
          ...(run.total !== undefined && { total: run.total }),
          unit: run.unit,
          done: run.done,
        }),
      ),
    step: ({ run, done, metrics, step }) =>
      tasks.get(run)?.update(done, metrics, step === undefined ? undefined : { step }),
    epochEnd: ({ run, epoch, step, metrics }) => tasks.get(run)?.epochEnd?.({ epoch, step, metrics }),
    runEnd({ run }) {
      tasks.get(run)?.end();
      tasks.delete(run);
    },
  };
}

/**
 * Every event as one JSON object per line (`{"event":"step","label":"gru/parity","step":3,"loss":0.69}`): for a
 * dashboard or a log collector to read. `write` gets each line with its newline.
 */
export function jsonLinesObserver(write: (line: string) => void): RunObserver {
  const emit = (event: string, fields: Readonly<Record<string, unknown>>) =>
    write(`${JSON.stringify({ event, ...fields })}\n`);
  return {
    name: 'JSON lines',
    runStart: (run) => emit('runStart', { ...run }),
    step: ({ run, step, done, metrics }) => emit('step', { label: run.label, step, done, ...metrics }),
    epochEnd: ({ run, epoch, step, metrics }) => emit('epochEnd', { label: run.label, epoch, step, ...metrics }),
    runEnd: ({ run, seconds, step }) => emit('runEnd', { label: run.label, seconds, step }),
    log: (line) => emit('log', { line }),
  };
}
