import { formatDuration } from '@nnkit/kit';

/** Where a lecture run stands: `done` of `total` recipes finished, `current` running, `seconds` since the start. */
export interface LectureProgress {
  readonly done: number;
  readonly total: number;
  readonly current?: string;
  readonly seconds: number;
}

/** How one recipe's run ended: with its verdict, or with the error that stopped it. */
export interface LectureRunOutcome {
  readonly name: string;
  readonly seconds: number;
  readonly reproduced?: boolean;
  readonly error?: string;
}

export interface LectureRunOptions {
  /** Recipe names, run in this order (the lecture's). */
  readonly names: readonly string[];
  /** Runs one recipe and writes its record: `runRecipe(kit, 'recipes/<name>', …)` in the CLI, a fake in tests. */
  readonly runRecipe: (name: string) => Promise<{ readonly reproduced: boolean }>;
  /** Told before each recipe and once at the end (no `current`). */
  readonly onProgress?: (progress: LectureProgress) => void;
  readonly now?: () => number;
}

/**
 * Runs every recipe of the lecture, one after another. A recipe that fails does not stop the others (an hour of
 * runs is not thrown away for one); its outcome carries the error, and the page says the run failed.
 */
export async function runLectureRecipes({
  names,
  runRecipe,
  onProgress = () => {},
  now = () => performance.now(),
}: LectureRunOptions): Promise<LectureRunOutcome[]> {
  const started = now();
  const seconds = (since: number) => (now() - since) / 1000;
  const outcomes: LectureRunOutcome[] = [];
  for (const name of names) {
    onProgress({ done: outcomes.length, total: names.length, current: name, seconds: seconds(started) });
    const t0 = now();
    try {
      const { reproduced } = await runRecipe(name);
      outcomes.push({ name, seconds: seconds(t0), reproduced });
    } catch (error) {
      outcomes.push({ name, seconds: seconds(t0), error: (error as Error)?.message ?? String(error) });
    }
  }
  onProgress({ done: outcomes.length, total: names.length, seconds: seconds(started) });
  return outcomes;
}

/** The one progress line of a lecture run: "lecture: 5/19 recipes, dates … (12m03s)". */
export function lectureProgressLine({ done, total, current, seconds }: LectureProgress): string {
  return current === undefined
    ? `lecture: ${done}/${total} recipes in ${formatDuration(seconds)}`
    : `lecture: ${done}/${total} recipes, ${current} … (${formatDuration(seconds)})`;
}
