import type { RecipeRecord } from './record.js';

/** The README's table of results sits between these two lines; `pnpm results:readme` rewrites what is between them. */
export const RESULTS_BEGIN =
  '<!-- results:begin (generated from results/*.json by `pnpm results:readme`; edit those files, not this table) -->';
export const RESULTS_END = '<!-- results:end -->';

const HEADER = ['recipe', "the lecture's claim", 'nnkit', 'record'];
const UNRECORDED = 'an earlier run, not recorded';

export interface ResultsTableRow {
  readonly recipe: string;
  readonly claim: string;
  readonly nnkit: string;
  readonly record: string;
}

/** Why a results file cannot stand behind the README's numbers; undefined when it can. */
export function checkResultRecord(record: RecipeRecord, file: string): string | undefined {
  if (record?.format !== 'nnkit-recipe-result')
    return `${file} expects a result.json written by \`nnkit recipe\` (format 'nnkit-recipe-result'), got format ${JSON.stringify(record?.format)}.`;
  const name = record.recipe.replace(/^recipes\//, '');
  if (!file.endsWith(`${name}.json`)) return `${file} expects the record of recipe '${name}' to be named ${name}.json.`;
  if (record.quick)
    return `${file} expects a full run (the README quotes full runs), got a --quick one. Run \`nnkit recipe ${name}\` without --quick.`;
  return undefined;
}

const cell = (text: string) => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** The rows of the table now between the markers, by recipe name (`conv-params`). */
function currentRows(readme: string): Map<string, ResultsTableRow> {
  const rows = new Map<string, ResultsTableRow>();
  for (const line of tableLines(readme)) {
    const [recipe = '', claim = '', nnkit = '', record = ''] = splitRow(line);
    const name = /^`([^`]+)`$/.exec(recipe)?.[1];
    if (name) rows.set(name, { recipe: name, claim, nnkit, record });
  }
  return rows;
}

function tableLines(readme: string): string[] {
  const begin = readme.indexOf(RESULTS_BEGIN);
  const end = readme.indexOf(RESULTS_END);
  if (begin < 0 || end < begin)
    throw new Error(
      `README expects the lines '${RESULTS_BEGIN}' and '${RESULTS_END}' around its results table, got ${begin < 0 ? 'no begin marker' : 'no end marker after it'}.`,
    );
  return readme
    .slice(begin + RESULTS_BEGIN.length, end)
    .split('\n')
    .filter((l) => l.trim().startsWith('| `'));
}

/** A record's row: its claim, its summary (or its measured values), and which run it came from. */
function recordedRow(record: RecipeRecord): ResultsTableRow {
  const name = record.recipe.replace(/^recipes\//, '');
  const measured =
    record.summary ?? record.rows.map((r) => `${r.quantity}: ${r.measured}${r.ok === undefined ? '' : r.ok ? ' ✓' : ' ✗'}`).join('; ');
  const checked = record.rows.filter((r) => r.ok !== undefined);
  const passed = checked.filter((r) => r.ok).length;
  const verdict = checked.length === 0 ? '' : `${record.reproduced ? '✓' : '✗'} ${passed} of ${checked.length} checks: `;
  const seconds = record.seconds < 10 ? record.seconds.toFixed(1) : record.seconds.toFixed(0);
  const date = record.started.slice(0, 10);
  const commit = record.environment.commit
    ? `, commit ${record.environment.commit.sha.slice(0, 7)}${record.environment.commit.dirty ? '+' : ''}`
    : '';
  return {
    recipe: name,
    claim: record.reproduces,
    nnkit: `${verdict}${measured}`,
    record: `[results/${name}.json](results/${name}.json): full run ${date}, ${record.environment.backend.name}, ${seconds} s${commit}`,
  };
}

/**
 * The table: a row per recipe with a results file, made from that file; a recipe without one keeps the row the
 * README has (numbers from an earlier run), marked as not recorded. Existing rows keep their order; new ones follow.
 */
export function renderResultsTable(readme: string, records: readonly RecipeRecord[]): string {
  const existing = currentRows(readme);
  const recorded = new Map(records.map((r) => [r.recipe.replace(/^recipes\//, ''), recordedRow(r)]));
  const names = [...existing.keys(), ...[...recorded.keys()].filter((n) => !existing.has(n))];
  const rows = names.map((name) => recorded.get(name) ?? { ...existing.get(name)!, record: UNRECORDED });
  return [
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| \`${r.recipe}\` | ${cell(r.claim)} | ${cell(r.nnkit)} | ${cell(r.record)} |`),
  ].join('\n');
}

/** The README with its results table regenerated from `records`. */
export function updateReadmeResults(readme: string, records: readonly RecipeRecord[]): string {
  const begin = readme.indexOf(RESULTS_BEGIN);
  const end = readme.indexOf(RESULTS_END);
  tableLines(readme); // checks the markers
  return `${readme.slice(0, begin + RESULTS_BEGIN.length)}\n${renderResultsTable(readme, records)}\n${readme.slice(end)}`;
}
