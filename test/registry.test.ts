import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';
import { startRegistry, type LocalRegistry } from './registry/verdaccio.js';

// nnkit as its users get it: the workspace published with its one command (`pnpm publish:registry <url>`) to a real
// registry (Verdaccio on 127.0.0.1; third-party packages come through it from npm's registry), then installed in
// empty folders outside the repository by exactly the README's install blocks: an app (npm install nnkit, the
// native backend, doctor, a small program, a quick recipe) and a plugin author (nnkit new plugin, npm install &&
// npm test), whose package the app then discovers. npm's own cache (--prefer-offline) and the libtensorflow cache
// in ~/.cache/nnkit keep it to minutes.

const BLOCKS = {
  app: join(REPO_ROOT, 'test', 'registry', 'install-app.md'),
  plugin: join(REPO_ROOT, 'test', 'registry', 'install-plugin.md'),
} as const;
type BlockName = keyof typeof BLOCKS;

/** The README's block between `<!-- install:<name> -->` and `<!-- /install:<name> -->`, or undefined. */
function readmeBlock(name: BlockName): string | undefined {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  return new RegExp(`<!-- install:${name} -->\\n([\\s\\S]*?)\\n?<!-- /install:${name} -->`).exec(readme)?.[1]?.trim();
}

/** The commands of a ```sh block, one per line, without their trailing comments. */
function commandsOf(block: string): string[] {
  const body = /```sh\n([\s\S]*?)```/.exec(block)?.[1];
  if (!body) throw new Error(`An install block expects a \`\`\`sh code block, got:\n${block}`);
  return body
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

const fixture = (name: BlockName) => readFileSync(BLOCKS[name], 'utf8').trim();

/** The small program the app runs: LeNet-5 on a few hundred MNIST digits, saved and loaded, all from 'nnkit'. */
const APP_JS = `
import { createKit, datasets, evaluate, lenet5, loadModel, saveModel, train } from 'nnkit';

const kit = await createKit({ plugins: [lenet5(), datasets()], seed: 1 });
const instance = await kit.createModel('lenet5/lenet5', { preset: 'modern' });
const data = await kit.loadDataset('datasets/mnist', { trainLimit: 600, validation: 100, testLimit: 300 });
await train({ model: instance.model, data, epochs: 3, batchSize: 32, optimizer: { name: 'adam', learningRate: 3e-3 }, quiet: true });
await saveModel('my-lenet5', instance);
const { instance: loaded } = await loadModel(kit, 'my-lenet5');
const { accuracy } = await evaluate(loaded.model, data.test);
console.log(JSON.stringify({ backend: kit.backend.name, accuracy }));
`;

/** The same names, type-checked under --strict against the published .d.ts files. */
const APP_TS = `
import { builtinPlugins, createKit, tf, train, type Kit, type NnkitPlugin } from 'nnkit';
const plugins: NnkitPlugin[] = builtinPlugins();
const kit: Kit = await createKit({ plugins, backend: 'cpu' });
const xs: tf.Tensor = tf.ones([2, 2]);
export const shape: number[] = xs.shape;
export const names: string[] = kit.registry.models.keys();
export const trains: typeof train = train;
`;

interface Step {
  readonly command: string;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/**
 * The environment a user's shell would give: this registry (and its token, for `npm publish`) through npm's
 * userconfig, npm's shared cache preferred, and nothing of the test runner's (vitest's variables, the npm_config_*
 * that pnpm sets for its scripts, CI's demand that every backend be present).
 */
function shellEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // NODE_PATH: pnpm's bin shims point it at the workspace's hoisted packages (its tfjs-node among them), where
    // the app's require() would find what its own install lacks.
    if (/^(npm_|VITEST|NNKIT_TEST_|NODE_ENV$|NNKIT_BACKEND$|NODE_PATH$)/i.test(key)) continue;
    env[key] = value;
  }
  // Likewise the workspace's node_modules/.bin folders that pnpm and npx put on PATH.
  const inRepo = join(REPO_ROOT, 'node_modules');
  env.PATH = (env.PATH ?? '')
    .split(':')
    .filter((dir) => !dir.startsWith(inRepo) && !dir.includes(`${REPO_ROOT}/test/node_modules`))
    .join(':');
  return env;
}

function userEnv(registry: LocalRegistry): NodeJS.ProcessEnv {
  return {
    ...shellEnv(),
    npm_config_userconfig: registry.npmrc,
    npm_config_registry: registry.url,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

function sh(command: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 300_000): Promise<Step> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ command, code, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

function ok(step: Step): Step {
  if (step.code !== 0)
    throw new Error(
      `\`${step.command}\` exited with ${step.code} after ${step.seconds.toFixed(1)} s\n--- stdout\n${step.stdout.slice(-6000)}\n--- stderr\n${step.stderr.slice(-6000)}`,
    );
  return step;
}

/** Runs a block's commands in `dir` as a person would type them: `cd` moves, every other line runs in bash. */
async function runBlock(name: BlockName, dir: string, env: NodeJS.ProcessEnv): Promise<{ steps: Step[]; cwd: string }> {
  const steps: Step[] = [];
  let cwd = dir;
  for (const command of commandsOf(fixture(name))) {
    const cd = /^cd\s+(\S+)$/.exec(command);
    if (cd) {
      cwd = resolve(cwd, cd[1]!);
      continue;
    }
    steps.push(ok(await sh(command, cwd, env, 420_000)));
  }
  return { steps, cwd };
}

/** Steps' times, for the log: where the minutes go. */
function timings(label: string, steps: readonly Step[]): string {
  return `${label}: ${steps.map((s) => `${s.command.split('#')[0]!.trim()} ${s.seconds.toFixed(1)} s`).join('; ')}`;
}

/**
 * Forgets what earlier runs of `npx nnkit` installed: every run publishes the same version with new contents, and npx
 * (offline-first, as `userEnv` sets npm) would run an earlier run's nnkit instead of this one's. npm's cache of
 * third-party packages stays. A user's first `npx nnkit` has no such install either.
 */
function forgetNpxInstallsOfNnkit(): void {
  const npx = join(homedir(), '.npm', '_npx');
  if (!existsSync(npx)) return;
  for (const entry of readdirSync(npx)) {
    const manifest = join(npx, entry, 'package.json');
    if (!existsSync(manifest)) continue;
    const wanted = Object.keys(JSON.parse(readFileSync(manifest, 'utf8')).dependencies ?? {});
    if (wanted.some((name) => name === 'nnkit' || name.startsWith('@nnkit/'))) rmSync(join(npx, entry), { recursive: true, force: true });
  }
}

/** Lines a command wrote to stderr, without Dawn's start-up warnings (the webgpu probe) and their locations. */
function nnkitStderr(step: Step): string[] {
  return step.stderr.split('\n').filter((line) => line.trim() && !/^Warning: |^\s+at operator\(\)/.test(line));
}

describe('nnkit published to a registry and installed as the README says', () => {
  let registry: LocalRegistry;
  let env: NodeJS.ProcessEnv;
  let work: string;
  let app: Promise<{ steps: Step[]; cwd: string }>;
  let author: Promise<{ steps: Step[]; cwd: string }>;
  const log: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nnkit-registry-'));
    registry = await startRegistry(join(work, 'registry'));
    env = userEnv(registry);
    forgetNpxInstallsOfNnkit();
    // The maintainer's shell: pnpm itself comes from npm's usual registry; only the publishing goes to this one.
    const publish = ok(await sh(`npx -y pnpm@9 publish:registry ${registry.url}`, REPO_ROOT, shellEnv(), 420_000));
    log.push(`publish: ${publish.seconds.toFixed(1)} s`);
    // The app and the plugin author are independent until the app installs the author's package: they run side by
    // side (both mostly wait on the registry), each in its own empty folder outside the repository.
    const appDir = join(work, 'app');
    const authorDir = join(work, 'author');
    for (const dir of [appDir, authorDir]) mkdirSync(dir);
    app = runBlock('app', appDir, env);
    author = runBlock('plugin', authorDir, env);
    // Awaited by the tests below; a failure here must not also surface as an unhandled rejection.
    app.catch(() => undefined);
    author.catch(() => undefined);
  }, 600_000);

  afterAll(async () => {
    await registry?.stop();
    console.log(log.join('\n'));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("README.md's install blocks are the ones this test runs", () => {
    for (const name of Object.keys(BLOCKS) as BlockName[]) {
      const block = readmeBlock(name);
      if (block === undefined)
        throw new Error(
          `README.md expects an install block between <!-- install:${name} --> and <!-- /install:${name} -->, got none. It should read (${BLOCKS[name]}):\n${fixture(name)}`,
        );
      expect(block, `README.md's install:${name} block`).toBe(fixture(name));
    }
  });

  it('publishes every public package and no private one', async () => {
    const names = (await (await fetch(new URL('-/verdaccio/data/packages', registry.url))).json()) as {
      name: string;
    }[];
    const published = names.map((p) => p.name).sort();
    expect(published).toEqual(
      expect.arrayContaining([
        'nnkit',
        '@nnkit/core',
        '@nnkit/backends',
        '@nnkit/cli',
        '@nnkit/testing',
        '@nnkit/recipes',
        '@nnkit/plugin-captioner',
      ]),
    );
    for (const hidden of ['nnkit-plugin-gru', 'nnkit-plugin-tagging', 'nnkit-plugin-tensorboard', '@nnkit/bench', '@nnkit/e2e-tests'])
      expect(published).not.toContain(hidden);
    const backends = (await (await fetch(new URL('@nnkit%2fbackends', registry.url))).json()) as {
      versions: Record<string, { optionalDependencies?: Record<string, string> }>;
    };
    const latest = Object.values(backends.versions).at(-1)!;
    expect(Object.keys(latest.optionalDependencies ?? {})).not.toContain('@tensorflow/tfjs-node-gpu'); // on request only
  });

  it('sets the native backend up offline, and doctor says "tensorflow ready"', async () => {
    const { steps } = await app;
    log.push(timings('app block', steps));
    const native = steps.find((s) => s.command.startsWith('npx nnkit native'))!;
    expect(native.stdout).toMatch(/nnkit native: tensorflow backend ready: libtensorflow \d+\.\d+\.\d+/);
    const doctor = steps.find((s) => s.command.startsWith('npx nnkit doctor'))!;
    expect(doctor.stdout, `after:\n${native.stdout}`).toContain('tensorflow ready');
    expect(doctor.stdout).not.toContain('native tensorflow backend is not ready');
    expect(nnkitStderr(doctor)[0]).toBe('backend: tensorflow (auto)');
  }, 900_000);

  it('runs the app example: LeNet-5 from nnkit trains on the native backend, saves, loads and evaluates', async () => {
    const { cwd } = await app;
    writeFileSync(join(cwd, 'app.mjs'), APP_JS);
    const step = ok(await sh('node app.mjs', cwd, env));
    log.push(`app.mjs: ${step.seconds.toFixed(1)} s`);
    const result = JSON.parse(step.stdout.trim().split('\n').at(-1)!) as { backend: string; accuracy: number };
    expect(result.backend).toBe('tensorflow');
    expect(result.accuracy).toBeGreaterThan(0.6);
    expect(existsSync(join(cwd, 'my-lenet5', 'model.json'))).toBe(true);
  }, 900_000);

  it('type-checks an app against the published .d.ts files, with one copy of tfjs-core installed', async () => {
    const { cwd } = await app;
    writeFileSync(join(cwd, 'app.mts'), APP_TS); // an ES module whatever type `npm init` gave the project
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    ok(
      await sh(
        `node ${tsc} --noEmit --strict --module nodenext --moduleResolution nodenext --target es2022 --skipLibCheck app.mts`,
        cwd,
        env,
      ),
    );
    const copies = ok(await sh('npm ls @tensorflow/tfjs-core --all --parseable', cwd, env));
    expect(new Set(copies.stdout.trim().split('\n'))).toEqual(new Set([join(cwd, 'node_modules', '@tensorflow', 'tfjs-core')]));
  }, 900_000);

  it('runs `npx nnkit recipe lenet5-mnist --quick` on the native backend', async () => {
    const { cwd } = await app;
    const step = ok(await sh('npx nnkit recipe lenet5-mnist --quick', cwd, env, 420_000));
    log.push(`recipe lenet5-mnist --quick: ${step.seconds.toFixed(1)} s`);
    expect(nnkitStderr(step)[0]).toBe('backend: tensorflow (auto)');
    expect(existsSync(join(cwd, 'nnkit-out', 'lenet5-mnist'))).toBe(true);
  }, 900_000);

  it('scaffolds a plugin whose own npm install && npm test pass against the registry', async () => {
    const { steps, cwd } = await author;
    log.push(timings('plugin block', steps));
    const output = steps.at(-1)!.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    expect(output).toMatch(/Test Files\s+1 passed \(1\)/);
    expect(output).not.toMatch(/failed/);
    expect(JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')).peerDependencies).toMatchObject({
      '@nnkit/core': '^2.0.0',
    });
  }, 900_000);

  it('says on the first line when it fell back from the native backend, with the fix', async () => {
    // The author's `npx -y nnkit` copy (npx's cache) was installed without `npx nnkit native`.
    const { cwd } = await author;
    const step = ok(await sh('npx -y nnkit list models', cwd, env));
    const first = nnkitStderr(step)[0]!;
    if (/^backend: (wasm|cpu)/.test(first)) expect(first).toContain('run `npx nnkit native`');
    else expect(first).toBe('backend: tensorflow (auto)');
  }, 900_000);

  it("discovers the author's package once the app installs it from the registry, and keeps the native backend", async () => {
    const [{ cwd: appDir }, { cwd: pluginDir }] = await Promise.all([app, author]);
    ok(await sh('npm publish', pluginDir, env));
    const install = ok(await sh('npm install nnkit-plugin-mine', appDir, env));
    log.push(`plugin publish + install into the app: ${install.seconds.toFixed(1)} s`);
    const plugins = JSON.parse(ok(await sh('npx nnkit plugins --json', appDir, env)).stdout) as {
      name: string;
      source: string;
    }[];
    expect(plugins).toContainEqual(expect.objectContaining({ name: 'nnkit-plugin-mine', source: 'discovered' }));
    expect(plugins).toContainEqual(expect.objectContaining({ name: '@nnkit/plugin-lenet5', source: 'explicit' }));
    ok(await sh('npx nnkit native --check', appDir, env)); // a later npm install left tfjs-node and its binding in place
  }, 900_000);
});
