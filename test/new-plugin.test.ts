import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nnkit, REPO_ROOT, run, type RunResult } from './helpers.js';

// `nnkit new plugin` writes a package that must build and pass its own tests as written, outside this repository:
// here it is installed with plain npm against nnkit's packed packages (as the npm registry will serve them), built
// with its own tsc and tested with its own vitest.
// @nnkit/testing brings the built-in tasks (testModel goes through a model's task), so that plugin is packed too.
const NNKIT_PACKAGES = [
  ...['backends', 'core', 'kit', 'ops', 'train', 'testing'].map((name) => join(REPO_ROOT, 'packages', name)),
  join(REPO_ROOT, 'plugins', 'tasks'),
];

async function ok(result: Promise<RunResult>): Promise<RunResult> {
  const done = await result;
  if (done.code !== 0) throw new Error(`exit ${done.code}\n${done.stdout.slice(-4000)}\n${done.stderr.slice(-4000)}`);
  return done;
}

describe('nnkit new plugin', () => {
  const root = mkdtempSync(join(tmpdir(), 'nnkit-new-plugin-'));
  const dir = join(root, 'nnkit-plugin-mgu');

  beforeAll(async () => {
    const tarballs = join(root, 'tarballs');
    for (const pkg of NNKIT_PACKAGES) await ok(run('npx', ['-y', 'pnpm@9', 'pack', '--pack-destination', tarballs], { cwd: pkg }));
    const made = await nnkit(['new', 'plugin', 'nnkit-plugin-mgu'], root);
    if (made.code !== 0) throw new Error(made.stderr);
    // Install scripts are skipped: tfjs-node's would download libtensorflow (not from the npm registry). Its backend
    // then reports itself not loadable, and the suites skip it, as they do on any machine without it.
    const files = readdirSync(tarballs).map((f) => join(tarballs, f));
    await ok(
      run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', ...files], {
        cwd: dir,
        timeoutMs: 300_000,
      }),
    );
  }, 420_000);

  it('writes a package nnkit discovers, with nnkit and tfjs as peer dependencies in this nnkit’s ranges', () => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.keywords).toContain('nnkit-plugin');
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['@nnkit/core', '@nnkit/ops', '@tensorflow/tfjs']);
    expect(readFileSync(join(dir, 'src', 'index.ts'), 'utf8')).toContain("namespace: 'mgu', nnkit: '^2.0.0'");
    for (const file of [
      'tsconfig.json',
      'vitest.config.ts',
      '.gitignore',
      'README.md',
      'src/cell.ts',
      'src/model.ts',
      'src/dataset.ts',
      'test/plugin.test.ts',
    ])
      expect(existsSync(join(dir, file)), file).toBe(true);
  });

  it('develops with the TypeScript and vitest that nnkit itself pins (the workspace catalog)', () => {
    const catalog = readFileSync(join(REPO_ROOT, 'pnpm-workspace.yaml'), 'utf8');
    const pinned = (name: string) => new RegExp(`^\\s+'?${name.replace('/', '\\/')}'?: (.+)$`, 'm').exec(catalog)?.[1]?.trim();
    const written = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).devDependencies;
    for (const name of ['typescript', 'vitest', '@types/node']) expect(`${name} ${written[name]}`).toBe(`${name} ${pinned(name)}`);
  });

  it('builds with its own tsc', async () => {
    await ok(run('npm', ['run', 'build'], { cwd: dir, timeoutMs: 120_000 }));
    for (const file of ['index.js', 'index.d.ts', 'cell.js', 'model.js', 'dataset.js'])
      expect(existsSync(join(dir, 'dist', file)), file).toBe(true);
  }, 150_000);

  it('passes its own tests: the conformance suites for its cell, model and dataset, and its own', async () => {
    const result = await ok(
      run('npm', ['test', '--', '--reporter=verbose'], {
        cwd: dir,
        env: { NNKIT_TEST_REQUIRED_BACKENDS: 'cpu,wasm', CI: '1' },
        timeoutMs: 400_000,
      }),
    );
    const output = `${result.stdout}\n${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, ''); // without colours
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/\d+ failed/);
    for (const suite of [
      'cell mgu/mgu: nnkit conformance',
      'model mgu/classifier: nnkit conformance',
      'dataset mgu/sign-of-sum: nnkit conformance',
    ])
      expect(output).toContain(suite);
  }, 420_000);

  it('refuses a folder that has files in it, and a name npm would not take', async () => {
    const again = await nnkit(['new', 'plugin', 'nnkit-plugin-mgu'], root);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/expects an empty or new folder/);
    const bad = await nnkit(['new', 'plugin', 'Bad Name'], root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expects an npm package name/);
    const kind = await nnkit(['new', 'widget', 'x'], root);
    expect(kind.code).toBe(2);
  });
});
