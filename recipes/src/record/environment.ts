import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { CORE_VERSION, type Kit } from '@nnkit/core';

/** Where and with what a recipe ran: enough to say which run a number came from, and to compare two runs. */
export interface RunEnvironment {
  readonly backend: { readonly name: string; readonly requested: string; readonly detail?: string };
  readonly versions: {
    readonly node: string;
    /** @tensorflow/tfjs-core, the engine every backend runs under. */
    readonly tfjs: string;
    readonly '@nnkit/core': string;
    readonly '@nnkit/recipes': string;
    /** Every loaded plugin, by package name. */
    readonly plugins: Readonly<Record<string, string>>;
    /** Set by the caller (`@nnkit/cli`), where there is one. */
    readonly [other: string]: unknown;
  };
  readonly machine: {
    readonly os: string;
    readonly arch: string;
    readonly cpu: string;
    readonly cores: number;
    readonly memoryGiB: number;
  };
  /**
   * The git commit nnkit's source was at, and whether it had uncommitted changes; null where nnkit runs from an
   * installed package (its versions say which code ran).
   */
  readonly commit: { readonly sha: string; readonly dirty: boolean } | null;
}

const PACKAGE_DIR = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

export const RECIPES_VERSION: string = (JSON.parse(readFileSync(`${PACKAGE_DIR}/package.json`, 'utf8')) as { version: string }).version;

/** The commit of the git checkout that holds nnkit's recipes, unless they run from node_modules (an install). */
export function sourceCommit(dir: string = PACKAGE_DIR): RunEnvironment['commit'] {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return null;
  }
  if (real.split(sep).includes('node_modules')) return null;
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', real, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    }).trim();
  try {
    const sha = git('rev-parse', 'HEAD');
    const dirty = git('status', '--porcelain', '--untracked-files=no').length > 0;
    return { sha, dirty };
  } catch {
    return null; // not a checkout, or no git
  }
}

/** Backend, versions, machine and commit of this process, for `kit` (the commit read now unless given). */
export function collectEnvironment(
  kit: Kit,
  extraVersions: Readonly<Record<string, string>> = {},
  commit: RunEnvironment['commit'] = sourceCommit(),
): RunEnvironment {
  const processors = cpus();
  return {
    backend: {
      name: kit.backend.name,
      requested: kit.backend.requested,
      ...(kit.backend.detail && { detail: kit.backend.detail }),
    },
    versions: {
      node: process.version,
      tfjs: tf.version['tfjs-core'],
      '@nnkit/core': CORE_VERSION,
      '@nnkit/recipes': RECIPES_VERSION,
      ...extraVersions,
      plugins: Object.fromEntries(kit.plugins.map(({ plugin }) => [plugin.meta.name, plugin.meta.version])),
    },
    machine: {
      os: `${platform()} ${release()}`,
      arch: arch(),
      cpu: processors[0]?.model.trim() ?? 'unknown',
      cores: processors.length,
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    },
    commit,
  };
}
