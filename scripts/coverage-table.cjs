// Line coverage per workspace package, as a table.
//
// Two ways in: vitest loads this file as an Istanbul reporter at the end of every coverage run (see
// vitest.config.ts), which prints the table and keeps it in coverage/by-package.txt; `pnpm coverage` prints that
// table again. CommonJS because Istanbul loads custom reporters with require().
//
// Lines only: a package's code runs both from its TypeScript source (its own unit tests) and from its dist/ (every
// other package's tests), and the two source maps place a statement's or function's start at different columns
// of the same line, so Istanbul counts those twice; a line is covered when any statement on it ran, whichever
// way in.
'use strict';
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join, relative, sep } = require('node:path');

/** `packages/kit/src/create-kit.ts` → `packages/kit`; `datasets/src/…` → `datasets`. */
function packageOf(file) {
  const parts = file.split(sep).join('/').split('/');
  return parts[0] === 'packages' || parts[0] === 'plugins' ? `${parts[0]}/${parts[1]}` : parts[0];
}

const percent = ({ covered, total }) => (total === 0 ? 100 : (100 * covered) / total);

/**
 * One row per package and a total. `lines` maps each file to its { covered, total } lines; `floors`
 * ({ 'packages/core': 85 }) adds the line coverage each package must keep.
 */
function table(root, lines, floors = {}) {
  const packages = {};
  for (const [file, { covered, total }] of lines) {
    const sums = (packages[packageOf(relative(root, file))] ??= { covered: 0, total: 0, files: 0 });
    sums.covered += covered;
    sums.total += total;
    sums.files += 1;
  }
  const names = Object.keys(packages).sort();
  const all = { covered: 0, total: 0, files: 0 };
  for (const name of names) for (const key of Object.keys(all)) all[key] += packages[name][key];
  const row = (name, sums) => {
    const floor = floors[name];
    return [
      name,
      percent(sums).toFixed(1),
      `${sums.covered} / ${sums.total}`,
      String(sums.files),
      floor === undefined ? '' : `${floor}${percent(sums) < floor ? ' ✗ below' : ''}`,
    ];
  };
  const header = ['package', '% lines', 'lines covered', 'files', 'floor'];
  const body = names.map((name) => row(name, packages[name]));
  const total = row('all', all);
  const widths = header.map((_, i) => Math.max(...[header, ...body, total].map((r) => r[i].length)));
  const line = (r) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [
    'Line coverage by package (code that runs only in a child process, as the CLI in test/, is not counted)',
    line(header),
    rule,
    ...body.map(line),
    rule,
    line(total),
  ].join('\n');
}

/** Istanbul's reporter interface: vitest calls `new CoverageTable(options).execute(context)`. */
class CoverageTable {
  constructor(options = {}) {
    this.root = options.projectRoot ?? process.cwd();
    this.floors = options.floors ?? {};
  }
  execute(context) {
    const lines = [];
    context.getTree('flat').visit(
      {
        onDetail(node) {
          const coverage = node.getFileCoverage();
          const counts = Object.values(coverage.getLineCoverage());
          lines.push([coverage.path, { covered: counts.filter((n) => n > 0).length, total: counts.length }]);
        },
      },
      context,
    );
    const text = table(this.root, lines, this.floors);
    console.log(`\n${text}\n`);
    mkdirSync(context.dir, { recursive: true });
    writeFileSync(join(context.dir, 'by-package.txt'), `${text}\n`);
  }
}

module.exports = CoverageTable;

if (require.main === module) {
  const root = join(__dirname, '..');
  const path = join(root, 'coverage', 'by-package.txt');
  try {
    process.stdout.write(readFileSync(path, 'utf8'));
  } catch (error) {
    console.error(
      `coverage-table expects ${relative(root, path)} from a coverage run, got ${error.code ?? error.message}. Run \`npx -y pnpm@9 test\` first.`,
    );
    process.exit(1);
  }
}
