#!/usr/bin/env node
// The bad-input and fault probe of issue 26: runs the built CLI on each case of cases.mjs in its own temp folder,
// one at a time, and classifies what happened (clean, ugly, hang, crash, data loss). See README.md.
//
//   node scripts/probe/probe.mjs --out /tmp/probe-baseline [--only <regex>] [--fixtures <dir>] [--keep]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CLASSES, classify, errorBlock } from './classify.mjs';
import { cases, fixtures } from './cases.mjs';
import { copyDir, fingerprint, walk, writeJson } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    out: { type: 'string', default: join(tmpdir(), 'nnkit-probe') },
    only: { type: 'string' },
    fixtures: { type: 'string', default: join(tmpdir(), 'nnkit-probe-fixtures') },
    rebuild: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    merge: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '60' },
    bin: { type: 'string', default: resolve(here, '../../packages/cli/dist/bin.js') },
  },
});
const BIN = resolve(opts.bin);
const DEFAULT_TIMEOUT = Number(opts.timeout);
const LITTER = /(^|\/)\.[^/]*\.tmp-[^/]*$|(^|\/)\.nnkit-lock(\.[^/]*)?$|\.png\.tmp-\d+$/;

/** Runs the CLI once; a run past its timeout is killed with its whole process group. */
function runCli(args, { cwd, env = {}, timeout }) {
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = { stdout: [], stderr: [], size: 0 };
    const keep = (stream) => (data) => {
      // Enough to judge a run; a runaway output is cut rather than held in memory.
      if (out.size < 4_000_000) out[stream].push(data);
      out.size += data.length;
    };
    child.stdout.on('data', keep('stdout'));
    child.stderr.on('data', keep('stderr'));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group has already exited between the timeout and the kill.
      }
    }, timeout * 1000);
    const finish = (code, signal, spawnError) => {
      clearTimeout(timer);
      done({
        code,
        signal: timedOut ? null : signal,
        timedOut,
        spawnError,
        seconds: (performance.now() - started) / 1000,
        stdout: Buffer.concat(out.stdout).toString('utf8'),
        stderr: Buffer.concat(out.stderr).toString('utf8') + (spawnError ? `\n[probe] spawn failed: ${spawnError.message}` : ''),
      });
    };
    child.on('error', (error) => finish(null, null, error));
    child.on('close', (code, signal) => finish(code, signal));
  });
}

/** The context a case's setup and args see: its folder, and copies of the fixtures. */
function context(dir, fixtureDir, built) {
  const p = (rel) => (isAbsolute(rel) ? rel : join(dir, rel));
  const need = (name) => {
    if (!built[name]) throw new MissingFixture(name);
    return join(fixtureDir, name);
  };
  return {
    dir,
    bin: BIN,
    p,
    /** A private copy of a trained fixture model (the case may damage it). */
    model: (name, rel = name) => copyDir(need(name), p(rel)),
    image: (name, rel = name) => {
      const to = p(rel);
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, readFileSync(need(name)));
      return to;
    },
    file: (rel, content = '') => {
      mkdirSync(dirname(p(rel)), { recursive: true });
      writeFileSync(p(rel), content);
      return p(rel);
    },
    json: (rel, value) => {
      mkdirSync(dirname(p(rel)), { recursive: true });
      writeJson(p(rel), value);
      return p(rel);
    },
    mkdir: (rel) => {
      mkdirSync(p(rel), { recursive: true });
      return p(rel);
    },
  };
}

class MissingFixture extends Error {
  constructor(name) {
    super(`fixture ${name} was not built`);
  }
}

async function buildFixtures() {
  mkdirSync(opts.fixtures, { recursive: true });
  const built = {};
  for (const fixture of fixtures) {
    const path = join(opts.fixtures, fixture.name);
    if (!opts.rebuild && existsSync(join(path, fixture.marker ?? 'model.json')) && !fixture.file) {
      built[fixture.name] = true;
      continue;
    }
    if (fixture.file) {
      writeFileSync(path, fixture.file());
      built[fixture.name] = true;
      continue;
    }
    rmSync(path, { recursive: true, force: true });
    const run = await runCli([...fixture.args, '--out', path], { cwd: opts.fixtures, timeout: 300 });
    built[fixture.name] = run.code === 0 && existsSync(join(path, 'model.json'));
    console.log(`fixture ${fixture.name}: ${built[fixture.name] ? 'ok' : 'FAILED'} (${run.seconds.toFixed(1)}s)`);
    if (!built[fixture.name]) console.log(run.stderr.split('\n').slice(-5).join('\n'));
  }
  return built;
}

async function runCase(spec, root, built) {
  const dir = join(root, spec.id);
  mkdirSync(dir, { recursive: true });
  const c = context(dir, opts.fixtures, built);
  const timeout = spec.timeout ?? DEFAULT_TIMEOUT;
  let args;
  let preserve;
  try {
    await spec.setup?.(c);
    args = typeof spec.args === 'function' ? spec.args(c) : spec.args;
    preserve = (typeof spec.preserve === 'function' ? spec.preserve(c) : (spec.preserve ?? [])).map(c.p);
  } catch (error) {
    if (error instanceof MissingFixture)
      return {
        id: spec.id,
        cmd: spec.cmd,
        class: 'skipped',
        reasons: [error.message],
        args: [],
        code: null,
        seconds: 0,
        first: '',
      };
    throw error;
  }
  const before = Object.assign({}, ...preserve.map(fingerprint));
  const existing = new Set(walk(dir));
  const run = await runCli(args, { cwd: dir, env: spec.env, timeout });

  const after = Object.assign({}, ...preserve.map(fingerprint));
  const lost = Object.keys(before)
    .filter((path) => before[path] !== after[path])
    .map((path) => path.replace(`${dir}/`, ''));
  const files = walk(dir);
  // A run the probe killed at its timeout had no chance to clean up: its leftovers are not held against it.
  // A file the case preserves (another run's live lock) is not litter.
  const litter = run.timedOut ? [] : files.filter((f) => LITTER.test(f) && !(c.p(f) in before));
  const refusedBeforeWork = spec.createsNothing ?? [spec.expect ?? 0].flat().every((code) => code === 2);
  const created = refusedBeforeWork && run.code !== 0 && !run.timedOut ? files.filter((f) => !existing.has(f)) : [];
  const present = (spec.absent ?? []).filter((rel) => existsSync(c.p(rel)));
  const extra = spec.check?.(c, run) ?? [];
  const { cls, reasons } = classify({ ...spec, timeout }, run, { lost, litter, created, present, extra });
  const { lines, block } = errorBlock(run.stderr);
  if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  return {
    id: spec.id,
    cmd: spec.cmd,
    note: spec.note,
    args: args.map((a) => (a.length > 120 ? `${a.slice(0, 40)}…(${a.length} chars)` : a.replace(`${dir}/`, ''))),
    class: cls,
    reasons,
    code: run.timedOut ? 'timeout' : (run.code ?? run.signal),
    expect: spec.expect ?? 0,
    seconds: Number(run.seconds.toFixed(2)),
    first: (block?.[0] ?? lines.at(-1) ?? '').slice(0, 300),
    stderr: run.stderr.slice(0, 4000),
    stdout: run.stdout.slice(0, 1000),
  };
}

function markdown(results, seconds) {
  const counts = countBy(results);
  const esc = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const out = [`# nnkit probe: ${results.length} cases, ${seconds.toFixed(0)} s`, '', '| class | cases |', '|---|---|'];
  for (const [cls, n] of Object.entries(counts)) out.push(`| ${cls} | ${n} |`);
  out.push('', '## Not clean', '');
  for (const r of results.filter((r) => r.class !== 'clean'))
    out.push(
      `- **${r.id}** (${r.class}, exit ${r.code}): \`nnkit ${esc(r.args.join(' '))}\` — ${esc(r.reasons.join('; '))}${r.first ? ` — “${esc(r.first.slice(0, 160))}”` : ''}`,
    );
  out.push('', '## Every case', '', '| id | command | class | exit | first stderr line | s |', '|---|---|---|---|---|---|');
  for (const r of results)
    out.push(
      `| ${r.id} | \`nnkit ${esc(r.args.join(' ')).slice(0, 100)}\` | ${r.class} | ${r.code} | ${esc(r.first.slice(0, 140))} | ${r.seconds} |`,
    );
  return `${out.join('\n')}\n`;
}

function countBy(results) {
  const counts = Object.fromEntries([...CLASSES, 'skipped'].map((c) => [c, 0]));
  for (const r of results) counts[r.class]++;
  return counts;
}

async function main() {
  const only = opts.only ? new RegExp(opts.only) : undefined;
  const selected = cases.filter((c) => !only || only.test(c.id) || only.test(c.cmd));
  const ids = new Set();
  for (const c of cases) {
    if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
    ids.add(c.id);
  }
  if (opts.list) {
    for (const c of selected) console.log(`${c.id}\t${c.cmd}\t${c.note ?? ''}`);
    console.log(`${selected.length} of ${cases.length} cases`);
    return;
  }
  if (!existsSync(BIN)) throw new Error(`${BIN} not found: build nnkit first (npx -y pnpm@9 build)`);
  const started = performance.now();
  const built = await buildFixtures();
  mkdirSync(opts.out, { recursive: true });
  const root = mkdtempSync(join(tmpdir(), 'nnkit-probe-run-'));
  const results = [];
  for (const [i, spec] of selected.entries()) {
    const result = await runCase(spec, root, built);
    results.push(result);
    console.log(
      `${String(i + 1).padStart(3)}/${selected.length} ${result.class.padEnd(9)} ${String(result.code).padEnd(7)} ${result.seconds.toFixed(1).padStart(5)}s ${spec.id}${result.class === 'clean' ? '' : `  — ${result.reasons.join('; ').slice(0, 200)}`}`,
    );
    if (!opts.merge) writeFileSync(join(opts.out, 'results.json'), JSON.stringify({ bin: BIN, partial: true, results }, null, 2));
  }
  if (!opts.keep) rmSync(root, { recursive: true, force: true });
  let seconds = (performance.now() - started) / 1000;
  if (opts.merge) {
    // --merge: these results replace the same cases' in the earlier results.json in --out; the rest stay.
    const earlier = JSON.parse(readFileSync(join(opts.out, 'results.json'), 'utf8'));
    const fresh = new Map(results.map((r) => [r.id, r]));
    const current = new Set(cases.map((c) => c.id)); // a case since removed or renamed leaves the table
    const merged = earlier.results.filter((r) => current.has(r.id)).map((r) => fresh.get(r.id) ?? r);
    for (const r of results) if (!earlier.results.some((e) => e.id === r.id)) merged.push(r);
    console.log(`merged ${results.length} fresh results into ${earlier.results.length} earlier ones`);
    seconds = earlier.seconds;
    results.splice(0, results.length, ...merged);
  }
  const counts = countBy(results);
  writeFileSync(
    join(opts.out, 'results.json'),
    JSON.stringify({ bin: BIN, date: new Date().toISOString(), seconds, counts, results }, null, 2),
  );
  writeFileSync(join(opts.out, 'summary.md'), markdown(results, seconds));
  console.log(
    `\n${results.length} cases in ${seconds.toFixed(0)} s: ${Object.entries(counts)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ')}`,
  );
  console.log(`wrote ${join(opts.out, 'results.json')} and ${join(opts.out, 'summary.md')}`);
}

await main();
