#!/usr/bin/env node
// Rewrites the README's table of results from results/*.json, the records of full runs that `nnkit recipe <name>`
// wrote (copied from nnkit-out/<name>/result.json). With --check it changes nothing and exits 1 if the README is out
// of date. A recipe without a record keeps its row, marked as an earlier run that was not recorded.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkResultRecord, updateReadmeResults } from '../recipes/dist/record/results-table.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readmePath = join(root, 'README.md');
const dir = join(root, 'results');
const records = readdirSync(dir)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => {
    const record = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const problem = checkResultRecord(record, `results/${file}`);
    if (problem) {
      console.error(`results:readme: ${problem}`);
      process.exit(1);
    }
    return record;
  });
const readme = readFileSync(readmePath, 'utf8');
const updated = updateReadmeResults(readme, records);
if (process.argv.includes('--check')) {
  if (updated !== readme) {
    console.error('results:readme: README.md does not match results/*.json. Run `npx -y pnpm@9 results:readme`.');
    process.exit(1);
  }
  console.log(`README.md matches the ${records.length} records in results/.`);
} else {
  writeFileSync(readmePath, updated);
  console.log(`README.md: results table regenerated from ${records.length} records in results/.`);
}
