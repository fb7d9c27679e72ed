import type { Clock, ProgressReporter, ProgressTask, RunEndReport, RunInfo, RunObserver, StepReport } from '@nnkit/core';

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
    step: ({ run, done, metrics, step }) => tasks.get(run)?.update(done, metrics, step === undefined ? undefined : { step }),
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
  const emit = (event: string, fields: Readonly<Record<string, unknown>>) => write(`${JSON.stringify({ event, ...fields })}\n`);
  return {
    name: 'JSON lines',
    runStart: (run) => emit('runStart', { ...run }),
    step: ({ run, step, done, metrics }) => emit('step', { label: run.label, step, done, ...metrics }),
    epochEnd: ({ run, epoch, step, metrics }) => emit('epochEnd', { label: run.label, epoch, step, ...metrics }),
    runEnd: ({ run, seconds, step }) => emit('runEnd', { label: run.label, seconds, step }),
    log: (line) => emit('log', { line }),
  };
}
