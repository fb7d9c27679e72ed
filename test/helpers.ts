import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const GRU_FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'nnkit-plugin-gru');
export const CLI_BIN = join(REPO_ROOT, 'packages', 'cli', 'dist', 'bin.js');

export interface ProjectSpec {
  /** Files to write, relative to the project: `{ 'nnkit.config.json': '…' }`. */
  readonly files?: Readonly<Record<string, string>>;
  /** Packages to put in node_modules: name → directory (linked, as a package manager would). */
  readonly packages?: Readonly<Record<string, string>>;
}

/** A throwaway application folder outside the workspace, with its own node_modules. */
export function tempProject(spec: ProjectSpec = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-app-'));
  for (const [path, content] of Object.entries(spec.files ?? {})) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  for (const [name, target] of Object.entries(spec.packages ?? {})) {
    const link = join(dir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link, 'dir');
  }
  return dir;
}

/** A plugin's meta as most tests want it: named as its package, version 1.0.0, the namespace after `nnkit-plugin-`, for core ^2.0.0. */
export function pluginMeta(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, version: '1.0.0', namespace: name.slice('nnkit-plugin-'.length), nnkit: '^2.0.0', ...overrides };
}

/** A plugin package written as plain JS into a folder, for cases the fixture does not cover. */
export function jsPluginPackage(name: string, meta: Record<string, unknown>, body = ''): string {
  return tempProject({
    files: {
      'package.json': JSON.stringify({
        name,
        version: '1.0.0',
        type: 'module',
        keywords: ['nnkit-plugin'],
        exports: './index.js',
      }),
      'index.js': `export default () => ({ meta: ${JSON.stringify(meta)}${body} });\n`,
    },
  });
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command as a child process and collects what it printed. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Runs `nnkit …` (the built CLI) in `cwd`, on the cpu backend unless told otherwise. */
export function nnkit(args: readonly string[], cwd: string = REPO_ROOT, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return run(process.execPath, [CLI_BIN, ...args], { cwd, env: { NNKIT_BACKEND: 'cpu', ...env } });
}

/** Runs `nnkit …args` and expects it to succeed, showing its stderr where it does not. */
export async function nnkitOk(args: readonly string[], cwd?: string, env?: NodeJS.ProcessEnv): Promise<RunResult> {
  const result = await nnkit(args, cwd, env);
  expect(result.code, result.stderr).toBe(0);
  return result;
}

/** Runs `nnkit …args --json`, expects it to succeed and returns what it printed, parsed. */
export async function nnkitJson(args: readonly string[], cwd?: string, env?: NodeJS.ProcessEnv) {
  return JSON.parse((await nnkitOk([...args, '--json'], cwd, env)).stdout);
}

/** The settings of an `nnkit train` run that tests spell out; `config` and `datasetOptions` as JSON text or a value. */
export interface TrainSettings {
  readonly preset?: string;
  readonly dataset?: string;
  readonly config?: string | object;
  readonly datasetOptions?: string | object;
  readonly epochs?: number;
  readonly out?: string;
  /** Any other flags, last: `--resume`, `--seed 7`. */
  readonly flags?: readonly string[];
}

/** Each setting's flag, in the order they are passed. */
const TRAIN_FLAGS: Record<Exclude<keyof TrainSettings, 'flags'>, string> = {
  preset: '--preset',
  dataset: '--dataset',
  config: '--config',
  datasetOptions: '--dataset-options',
  epochs: '--epochs',
  out: '--out',
};

/** The arguments of `nnkit train <model>` with these settings. */
export function trainArgs(model: string, settings: TrainSettings = {}): string[] {
  const args = ['train', model];
  for (const [key, flag] of Object.entries(TRAIN_FLAGS)) {
    const value = settings[key as keyof typeof TRAIN_FLAGS];
    if (value !== undefined) args.push(flag, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return [...args, ...(settings.flags ?? [])];
}

/** `nnkit train` of the GRU fixture's gru/parity at its tiny preset (the app needs the fixture): a real run in seconds. */
export function tinyParityArgs(settings: TrainSettings = {}): string[] {
  return trainArgs('gru/parity', { preset: 'tiny', ...settings });
}

/** What nnkit saved about the model in `dir` (model.json's `nnkit` field: model, config, vocabulary…). */
export function savedMetadata(dir: string) {
  return JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).nnkit;
}
