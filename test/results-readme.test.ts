import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkResultRecord, RESULTS_BEGIN, RESULTS_END, updateReadmeResults, type RecipeRecord } from '@nnkit/recipes';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';

// The README quotes full runs; results/<recipe>.json are their records. The table between the markers is generated
// from them (`pnpm results:readme`), and this test fails when the two disagree.
const RESULTS = join(REPO_ROOT, 'results');
const files = readdirSync(RESULTS)
  .filter((f) => f.endsWith('.json'))
  .sort();
const records = files.map((file) => JSON.parse(readFileSync(join(RESULTS, file), 'utf8')) as RecipeRecord);
const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

function tableRows(text: string): string[] {
  return text
    .slice(text.indexOf(RESULTS_BEGIN), text.indexOf(RESULTS_END))
    .split('\n')
    .filter((l) => l.startsWith('| `'));
}

describe('the README’s results and results/*.json', () => {
  it.each(files)('results/%s is the record of a full run of the recipe it is named after, with its environment', (file) => {
    const record = records[files.indexOf(file)]!;
    expect(checkResultRecord(record, `results/${file}`)).toBeUndefined();
    expect(record.rows.length).toBeGreaterThan(0);
    expect(record.environment.versions.node).toMatch(/^v\d+/);
    expect(record.environment.backend.name).toBeTruthy();
    expect(Number.isNaN(Date.parse(record.started))).toBe(false);
  });

  it('the table is what the records generate (run `npx -y pnpm@9 results:readme` after adding one)', () => {
    expect(updateReadmeResults(readme, records)).toBe(readme);
  });

  it('every row says where it comes from: a record that exists, or an earlier run that was not recorded', () => {
    const rows = tableRows(readme);
    expect(rows.length).toBeGreaterThanOrEqual(records.length);
    for (const row of rows) {
      const name = /^\| `([^`]+)`/.exec(row)![1]!;
      if (files.includes(`${name}.json`)) expect(row).toContain(`[results/${name}.json](results/${name}.json): full run`);
      else expect(row.trimEnd()).toMatch(/\| an earlier run, not recorded \|$/);
    }
  });
});

describe('generating the table', () => {
  const record = (recipe: string, quick = false): RecipeRecord => ({
    format: 'nnkit-recipe-result',
    version: 1,
    recipe: `recipes/${recipe}`,
    description: 'd',
    reproduces: 'the claim | with a bar',
    quick,
    reproduced: true,
    rows: [{ quantity: 'q', target: 't', measured: 'm', ok: true }],
    summary: 'it **worked**',
    settings: {},
    figures: [],
    environment: {
      backend: { name: 'wasm', requested: 'wasm' },
      versions: { node: 'v20', tfjs: '4.22.0', '@nnkit/core': '2.0.0', '@nnkit/recipes': '1.1.0', plugins: {} },
      machine: { os: 'linux', arch: 'x64', cpu: 'cpu', cores: 2, memoryGiB: 24 },
      commit: { sha: 'abcdef0123', dirty: false },
    },
    started: '2026-01-02T03:04:05.000Z',
    seconds: 12.3,
  });
  const before = `intro\n${RESULTS_BEGIN}\n| recipe | claim | nnkit |\n| --- | --- | --- |\n| \`a\` | old claim | old numbers |\n| \`b\` | b claim | b numbers |\n${RESULTS_END}\nafter\n`;

  it('replaces a recorded recipe’s row from its file, keeps and marks the others, and appends new recipes', () => {
    const after = updateReadmeResults(before, [record('b'), record('c')]);
    expect(after.split('\n').filter((l) => l.startsWith('| `'))).toEqual([
      '| `a` | old claim | old numbers | an earlier run, not recorded |',
      '| `b` | the claim \\| with a bar | ✓ 1 of 1 checks: it **worked** | [results/b.json](results/b.json): full run 2026-01-02, wasm, 12 s, commit abcdef0 |',
      '| `c` | the claim \\| with a bar | ✓ 1 of 1 checks: it **worked** | [results/c.json](results/c.json): full run 2026-01-02, wasm, 12 s, commit abcdef0 |',
    ]);
    expect(after.startsWith('intro\n')).toBe(true);
    expect(after.endsWith(`${RESULTS_END}\nafter\n`)).toBe(true);
    expect(updateReadmeResults(after, [record('b'), record('c')])).toBe(after); // stable
  });

  it('refuses a quick run, a misnamed file and a README without the markers', () => {
    expect(checkResultRecord(record('a', true), 'results/a.json')).toMatch(/expects a full run/);
    expect(checkResultRecord(record('a'), 'results/b.json')).toMatch(/named a\.json/);
    expect(() => updateReadmeResults('no table here', [])).toThrow(/around its results table/);
  });
});
