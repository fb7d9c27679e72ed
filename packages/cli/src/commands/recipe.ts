import { existsSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { recipeFolder, runRecipe, verdictOf } from '@nnkit/recipes';
import { checkOutputFolder } from '@nnkit/train';
import { defineCommand, option } from '../define-command.js';
import { table } from '../table.js';
import { UsageError } from '../usage-error.js';
import { CLI_VERSION } from '../version.js';

export const recipeCommand = defineCommand({
  usage: 'recipe <name>',
  summary:
    "reproduce one of the lecture's examples: what the slide or paper says next to what nnkit measures, with figures, result.json and report.html",
  options: {
    quick: option.flag('the short setting (a subset, a minute or so) instead of the full reproduction'),
    out: option.path('folder for figures, models, result.json and report.html (default: nnkit-out); each recipe writes to <out>/<recipe>'),
    overwrite: option.flag(
      'replace what an earlier run left in <out>/<recipe> (its model, figures and record); without it such a folder is refused',
    ),
  },
  async run({ positionals, options: { quick, out, overwrite }, kit: makeKit, print }) {
    const kit = await makeKit();
    const name = positionals[0]!;
    // `nnkit recipe lenet5-mnist` finds `recipes/lenet5-mnist`; a third party's recipe is named in full.
    const key = kit.registry.recipes.has(name) || name.includes('/') ? name : `recipes/${name}`;
    const recipe = kit.recipe(key);
    const outDir = resolve(out ?? 'nnkit-out');
    // Before any work, creating nothing: the recipe's own folder under --out must be one nnkit can write to (not a
    // file or under one, not under /proc or /sys), else the run would fail (or loop) only once it has trained.
    checkOutputFolder(outDir, { role: 'The output folder (--out)' });
    const folder = recipeFolder(outDir, key);
    checkOutputFolder(folder, { role: `The recipe's folder under --out` });
    // An earlier run's results (a full run's model may have cost an hour) are replaced only when asked.
    const earlier = existsSync(folder) ? readdirSync(folder).sort() : [];
    if (earlier.length > 0) {
      if (!overwrite) {
        const shown = earlier.slice(0, 5).join(', ') + (earlier.length > 5 ? `, … (${earlier.length} in all)` : '');
        throw new UsageError(
          `nnkit recipe expects ${folder} to be new or empty, got an earlier run's files (${shown}). Pass --overwrite to replace them, or choose another --out.`,
        );
      }
      rmSync(folder, { recursive: true, force: true });
    }
    const { result, record, files } = await runRecipe(
      kit,
      key,
      { quick, outDir, seed: kit.random.seed },
      { versions: { '@nnkit/cli': CLI_VERSION } },
    );
    const verdict = verdictOf(result.rows);
    // A recipe that saved what it trained says how to use it (`details.commands`: `nnkit translate <dir> "…"`).
    const commands = Array.isArray(result.details?.commands)
      ? (result.details.commands as unknown[]).filter((c): c is string => typeof c === 'string')
      : [];
    print(
      {
        recipe: key,
        quick,
        reproduced: verdict.reproduced,
        ...(verdict.reason !== undefined && { reason: verdict.reason }),
        seconds: record.seconds,
        ...result,
        report: files.report,
        record: files.result,
      },
      () =>
        [
          `${key}${quick ? ' (quick)' : ''}: ${recipe.reproduces}`,
          '',
          table([
            ['', 'quantity', 'lecture / paper', 'nnkit'],
            ...result.rows.map((r) => [r.ok === undefined ? ' ' : r.ok ? '✓' : '✗', r.quantity, r.target, r.measured]),
          ]),
          '',
          ...(result.figures.length > 0 ? ['figures:', ...result.figures.map((f) => `  ${f}`)] : []),
          `report: ${files.report}`,
          `record: ${files.result}`,
          ...(commands.length > 0 ? ['', 'try what it trained:', ...commands.map((c) => `  ${c}`), ''] : []),
          verdict.reproduced
            ? `reproduced in ${record.seconds.toFixed(1)} s on ${kit.backend.name}: ${verdict.passed} of ${verdict.checked} checks ✓`
            : `${verdict.text} (${record.seconds.toFixed(1)} s on ${kit.backend.name})`,
        ].join('\n'),
    );
  },
});
