import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { NnkitError, type Kit } from '@nnkit/core';
import { silentProgress, type StreamLike } from '@nnkit/kit';
import { lecture, recipeFolder, runRecipe } from '@nnkit/recipes';
import { checkOutputFolder } from '@nnkit/train';
import { writeAtomic } from '@nnkit/viz';
import { defineCommand, option } from '../define-command.js';
import { UsageError } from '../usage-error.js';
import { CLI_VERSION } from '../version.js';

const DEFAULT_PAGE = 'nnkit-out/lecture.html';

export const lectureCommand = defineCommand({
  usage: 'lecture',
  summary:
    "the whole lecture on one self-contained HTML page: each slide's claim, and what nnkit's recipes measured (✓/✗), with their figures and commands",
  positionals: { min: 0, max: 0 },
  options: {
    out: option.path(`the page to write (default: ${DEFAULT_PAGE}); with --run the recipes' records go into the folder it is in`),
    results: option.path(
      'the folder of records to show: <recipe>.json or <recipe>/result.json each (default: the results/ shipped with nnkit, full runs)',
    ),
    run: option.flag(
      'run every recipe of the lecture first (hours; minutes with --quick), then show those fresh records; one progress line for the whole',
    ),
    quick: option.flag('with --run: each recipe in its short setting'),
    overwrite: option.flag("replace an existing page, and with --run the earlier runs in the recipes' folders beside it"),
  },
  async run({ options: { out, results, run, quick, overwrite }, kit: makeKit, print }) {
    // Every refusal before any work: a --run is hours long.
    if (quick && !run)
      throw new UsageError(
        '--quick expects --run (it sets how long each recipe runs), got no --run. Add --run, or leave --quick out to show the records as they are.',
      );
    if (results !== undefined && run)
      throw new UsageError('--results expects no --run (a run shows its own fresh records), got both. Leave one out.');
    const page = resolve(out ?? DEFAULT_PAGE);
    if (existsSync(page)) {
      if (statSync(page).isDirectory())
        throw new UsageError(
          `--out expects the path of an HTML file, got the folder ${page}. Name a file, e.g. --out ${resolve(page, 'lecture.html')}.`,
        );
      if (!overwrite)
        throw new UsageError(
          `nnkit lecture expects ${page} to be new, got an existing file. Pass --overwrite to replace it, or choose another --out.`,
        );
    }
    const pageDir = dirname(page);
    checkOutputFolder(pageDir, { role: "The page's folder (--out)" });
    const names = lecture.lectureRecipes();

    let resultsDir: string;
    let source: string;
    let failures = new Map<string, string>();
    let seconds: number | undefined;
    if (run) {
      const kit = await makeKit();
      const started = new Date();
      const outcomes = await runEveryRecipe(kit, names, pageDir, { quick, overwrite });
      failures = new Map(outcomes.filter((o) => o.error !== undefined).map((o) => [o.name, o.error!]));
      seconds = outcomes.reduce((sum, o) => sum + o.seconds, 0);
      resultsDir = pageDir;
      source = `${pageDir}, written by nnkit lecture --run${quick ? ' --quick' : ''} on ${started.toISOString().slice(0, 10)} (${kit.backend.name})`;
    } else {
      const dir = results !== undefined ? resolve(results) : lecture.shippedResultsDir();
      if (dir === undefined)
        throw new UsageError(
          'nnkit lecture expects a folder of records, got none: this nnkit ships no results/ folder. Pass --results <folder> (where nnkit recipe wrote its runs), or --run to make them.',
        );
      if (!existsSync(dir) || !statSync(dir).isDirectory())
        throw new UsageError(
          `--results expects a folder of records, got ${existsSync(dir) ? 'a file' : 'nothing'} at ${dir}. Name the folder nnkit recipe --out wrote to, or results/ of a checkout.`,
        );
      resultsDir = dir;
      source = results !== undefined ? dir : `${dir} (the records of full runs shipped with nnkit)`;
    }

    const entries = lecture.readLectureEntries(resultsDir, names, failures);
    writeAtomic(page, lecture.renderLecturePage({ slides: lecture.LECTURE_SLIDES, entries, pageDir, source, written: new Date() }));

    const recorded = [...entries.values()].filter((e) => 'record' in e);
    const notRecorded = names.filter((n) => !recorded.some((e) => e.name === n));
    const missingFigures = recorded.flatMap((e) =>
      'figures' in e ? e.figures.filter((f) => 'missing' in f).map((f) => `${e.name}/${f.file}`) : [],
    );
    print(
      {
        page,
        slides: lecture.LECTURE_SLIDES.length,
        recipes: names.length,
        recorded: recorded.length,
        notRecorded,
        missingFigures,
        ...(seconds !== undefined && { seconds: Math.round(seconds) }),
        failed: Object.fromEntries(failures),
      },
      () =>
        [
          `lecture: ${lecture.LECTURE_SLIDES.length} slides, ${recorded.length} of ${names.length} recipes recorded (from ${resultsDir})`,
          ...(notRecorded.length > 0 ? [`not recorded: ${notRecorded.join(', ')}`] : []),
          ...(missingFigures.length > 0 ? [`figures not beside their records (the page says so): ${missingFigures.length}`] : []),
          `page: ${page}`,
        ].join('\n'),
    );
    if (failures.size > 0) {
      throw new NnkitError(
        'NNKIT_RECIPE_FAILED',
        `nnkit lecture --run expects every recipe to finish, got ${failures.size} that failed: ${[...failures].map(([n, e]) => `${n} (${e})`).join('; ')}. The page says so on their slides; run one alone with nnkit recipe <name> to see it fail.`,
      );
    }
  },
});

/**
 * Runs the lecture's recipes into `outDir` with one progress line for the whole (the recipes' own bars silenced), after
 * refusing, before any work, folders that hold an earlier run unless --overwrite. Recipes this nnkit lacks (a plugin
 * not installed) are skipped; their slides say "not recorded".
 */
export async function runEveryRecipe(
  kit: Kit,
  names: readonly string[],
  outDir: string,
  { quick, overwrite, stream = process.stderr }: { quick: boolean; overwrite: boolean; stream?: StreamLike },
) {
  const available = names.filter((name) => kit.registry.recipes.has(`recipes/${name}`));
  const folders = new Map(available.map((name) => [name, recipeFolder(outDir, `recipes/${name}`)]));
  const earlier = [...folders].filter(([, folder]) => existsSync(folder) && readdirSync(folder).length > 0).map(([name]) => name);
  if (earlier.length > 0 && !overwrite) {
    throw new UsageError(
      `nnkit lecture --run expects the recipes' folders in ${outDir} to be new or empty, got earlier runs of ${earlier.join(', ')}. Pass --overwrite to replace them, or choose another --out.`,
    );
  }
  for (const folder of folders.values()) checkOutputFolder(folder, { role: "A recipe's folder beside the page" });

  // The kit as the recipes see it: without their own progress bars, so that the lecture's line is the only one.
  const quiet: Kit = { ...kit, progress: silentProgress() };
  const line = progressLine(stream);
  try {
    return await lecture.runLectureRecipes({
      names: available,
      runRecipe: async (name) => {
        rmSync(folders.get(name)!, { recursive: true, force: true });
        const { record } = await runRecipe(
          quiet,
          `recipes/${name}`,
          { quick, outDir, seed: kit.random.seed },
          { versions: { '@nnkit/cli': CLI_VERSION } },
        );
        return record;
      },
      onProgress: line.show,
    });
  } finally {
    line.end();
  }
}

/** One line for the whole run: redrawn in place (with the time ticking) on a terminal, a plain line per recipe elsewhere. */
function progressLine(stream: StreamLike) {
  let last: lecture.LectureProgress | undefined;
  let since = performance.now();
  const text = () => lecture.lectureProgressLine({ ...last!, seconds: last!.seconds + (performance.now() - since) / 1000 });
  const tick = stream.isTTY ? setInterval(() => last?.current !== undefined && stream.write(`\r${text()}\x1b[K`), 1000) : undefined;
  tick?.unref();
  return {
    show(progress: lecture.LectureProgress) {
      last = progress;
      since = performance.now();
      stream.write(stream.isTTY ? `\r${text()}\x1b[K${progress.current === undefined ? '\n' : ''}` : `${text()}\n`);
    },
    end: () => clearInterval(tick),
  };
}
