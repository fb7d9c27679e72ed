import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRU_FIXTURE, REPO_ROOT, run, type RunResult } from './helpers.js';

// The packages as users get them: packed with `pnpm pack` (workspace: and catalog: versions replaced),
// installed with plain npm into an application outside the workspace, imported from JS and type-checked from TS.
// Plugins, ops, train, datasets and recipes take @nnkit/core and @tensorflow/tfjs (train also @nnkit/ops) as peer
// dependencies: npm installs peers itself, and finds @nnkit/core and @nnkit/ops among these tarballs.
const PACKAGES = [
  ...['backends', 'core', 'ops', 'train', 'viz', 'cli'].map((name) => join(REPO_ROOT, 'packages', name)),
  ...['datasets', 'plugins/lenet5', 'plugins/lstm', 'plugins/rnn-lm', 'plugins/cnn-features', 'plugins/seq2seq-attention', 'plugins/captioner', 'recipes'].map((path) => join(REPO_ROOT, path)),
  GRU_FIXTURE,
];

const APP_JS = `
import { createKit, field, definePlugin } from '@nnkit/core';
import gru from 'nnkit-plugin-gru';
const mine = definePlugin({
  meta: { name: 'my-plugin', version: '1.0.0', namespace: 'mine', nnkit: '^2.0.0' },
  models: [{ name: 'id', description: 'identity', config: { k: field.integer({ default: 2, description: 'k' }) }, create: (c) => c }],
});
const kit = await createKit({ plugins: [gru(), mine], backend: 'cpu' });
const { model } = await kit.createModel('mine/id', { config: { k: 5 } });
console.log(JSON.stringify({ cells: kit.registry.cells.keys(), model }));
`;

const APP_TS = `
import { createKit, type Kit, type RecurrentCell } from '@nnkit/core';
import gru from 'nnkit-plugin-gru';
const kit: Kit = await createKit({ plugins: [gru()], backend: 'cpu' });
const cell: RecurrentCell = kit.createCell('gru/gru', { inputSize: 2, units: 3 });
export const units: number = cell.units;
`;

async function ok(result: Promise<RunResult>): Promise<RunResult> {
  const done = await result;
  if (done.code !== 0) throw new Error(`exit ${done.code}\n${done.stdout}\n${done.stderr}`);
  return done;
}

describe('packed packages in a plain Node application', () => {
  let app: string;

  beforeAll(async () => {
    const tarballs = mkdtempSync(join(tmpdir(), 'nnkit-tarballs-'));
    for (const dir of PACKAGES) await ok(run('npx', ['-y', 'pnpm@9', 'pack', '--pack-destination', tarballs], { cwd: dir }));
    app = mkdtempSync(join(tmpdir(), 'nnkit-packed-app-'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    writeFileSync(join(app, 'app.mjs'), APP_JS);
    writeFileSync(join(app, 'app.ts'), APP_TS);
    // The optional native addons are left out: their install downloads libtensorflow, which is a network
    // fetch outside the npm registry (the backends suite covers how nnkit behaves when they fail).
    const files = readdirSync(tarballs).map((f) => join(tarballs, f));
    await ok(run('npm', ['install', '--no-audit', '--no-fund', '--omit=optional', '--prefer-offline', ...files], { cwd: app, timeoutMs: 300_000 }));
  }, 360_000);

  it('imports @nnkit/core and a plugin, and creates a model', async () => {
    const result = await ok(run(process.execPath, ['app.mjs'], { cwd: app }));
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toEqual({ cells: ['gru/gru'], model: { k: 5 } });
  });

  it('type-checks against the published .d.ts files', async () => {
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', 'app.ts'];
    await ok(run(process.execPath, [tsc, ...args], { cwd: app }));
  });

  it('installs one copy of tfjs-core, shared by nnkit and every plugin', async () => {
    const result = await ok(run('npm', ['ls', '@tensorflow/tfjs-core', '--all', '--parseable'], { cwd: app }));
    expect(new Set(result.stdout.trim().split('\n'))).toEqual(new Set([join(app, 'node_modules', '@tensorflow', 'tfjs-core')]));
  });

  it('installs the nnkit bin, which discovers the installed plugin', async () => {
    const result = await ok(run(join(app, 'node_modules', '.bin', 'nnkit'), ['plugins', '--json', '--backend', 'cpu'], { cwd: app }));
    const plugins = JSON.parse(result.stdout);
    expect(plugins).toContainEqual(expect.objectContaining({ name: 'nnkit-plugin-gru', source: 'discovered' }));
    expect(plugins).toContainEqual(expect.objectContaining({ name: '@nnkit/plugin-lenet5', source: 'explicit' }));
  });
});
