import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { BackendError } from '@nnkit/backends';
import { defineCommand, option } from '../define-command.js';

/**
 * `nnkit native`: sets up the native `tensorflow` backend in an application, as the repository's postinstall does
 * (npm runs no dependency's install script until the user approves it, so @nnkit/backends ships the setup as a
 * script and this command runs it). In an npm app, where tfjs-node's own download failed offline and npm removed
 * the optional package, it first installs the package without its download script.
 */
export const nativeCommand = defineCommand({
  usage: 'native [--check] [--force] [--gpu]',
  summary:
    "set up the native tensorflow backend (libtensorflow from tfjs-node's download, or offline from pip's tensorflow-cpu); --check only says whether it loads",
  options: {
    check: option.flag('change nothing; say whether the tensorflow backend loads, exit 1 when it does not'),
    force: option.flag('rebuild the binding against the cached libtensorflow'),
    gpu: option.flag('install the CUDA build (@tensorflow/tfjs-node-gpu) into the app; needs internet, an NVIDIA driver and CUDA'),
  },
  async run({ options: { check, force, gpu } }) {
    const backends = backendsPackage();
    if (gpu) return installGpu(backends);
    if (!check && !resolves('@tensorflow/tfjs-node', backends.dir)) installTfjsNode(backends);
    const args = [
      join(backends.dir, 'scripts', 'install-native.mjs'),
      '--strict',
      ...(check ? ['--check'] : []),
      ...(force ? ['--force'] : []),
    ];
    const script = spawnSync(process.execPath, args, { stdio: 'inherit' });
    if (script.status !== 0) {
      throw new BackendError(
        `nnkit native expects the tensorflow backend to load, got the failure in the line above. nnkit runs on wasm meanwhile (${check ? 'run `npx nnkit native` to set it up' : 'README, "Backends", lists what the setup needs'}).`,
      );
    }
  },
});

interface BackendsPackage {
  /** The installed @nnkit/backends folder (its real path). */
  readonly dir: string;
  readonly optionalDependencies: Readonly<Record<string, string>>;
  /** The application whose node_modules holds it; undefined inside nnkit's own repository (a workspace link). */
  readonly app: string | undefined;
}

function backendsPackage(): BackendsPackage {
  const manifest = realpathSync(createRequire(import.meta.url).resolve('@nnkit/backends/package.json'));
  const dir = dirname(manifest);
  const script = join(dir, 'scripts', 'install-native.mjs');
  if (!existsSync(script))
    throw new BackendError(`nnkit native expects @nnkit/backends to ship scripts/install-native.mjs, got none in ${dir}. Reinstall nnkit.`);
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { optionalDependencies?: Record<string, string> };
  const at = dir.indexOf(`${sep}node_modules${sep}`);
  return { dir, optionalDependencies: pkg.optionalDependencies ?? {}, app: at === -1 ? undefined : dir.slice(0, at) };
}

function resolves(name: string, from: string): boolean {
  try {
    createRequire(join(from, 'package.json')).resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** Runs npm in the app, its output shown; throws with `why` when it fails. */
function npm(app: string, args: readonly string[], why: string): void {
  const npmCli = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npmCli, [...args, '--no-audit', '--no-fund'], { cwd: app, stdio: 'inherit' });
  if (result.status !== 0)
    throw new BackendError(
      `nnkit native expects \`npm ${args.join(' ')}\` to succeed in ${app}, got ${result.error?.message ?? `exit ${result.status}`}. ${why}`,
    );
}

/**
 * tfjs-node's own install script downloads libtensorflow 2.9.1; offline it fails and npm removes the optional
 * package. Installed again without scripts, the setup script then builds its binding against pip's libtensorflow.
 */
function installTfjsNode(backends: BackendsPackage): void {
  const version = backends.optionalDependencies['@tensorflow/tfjs-node'];
  if (!backends.app || !version) return; // in the repository, pnpm links it: the script says what is missing
  console.log(`nnkit native: installing @tensorflow/tfjs-node@${version} into ${backends.app} without its download script`);
  npm(
    backends.app,
    ['install', '--no-save', '--ignore-scripts', '--prefer-offline', `@tensorflow/tfjs-node@${version}`],
    'Check that the npm registry is reachable.',
  );
}

/** The CUDA build, on request only: its install downloads a CUDA libtensorflow (hundreds of MB). */
function installGpu(backends: BackendsPackage): void {
  const version = backends.optionalDependencies['@tensorflow/tfjs-node'];
  if (!backends.app || !version) {
    throw new BackendError(
      "nnkit native --gpu expects an application that installed nnkit from npm, got nnkit's own repository. There: pnpm --filter @nnkit/backends add -O @tensorflow/tfjs-node-gpu@4.22.0",
    );
  }
  console.log(
    `nnkit native: installing @tensorflow/tfjs-node-gpu@${version} into ${backends.app} (its install downloads the CUDA build of libtensorflow)`,
  );
  npm(
    backends.app,
    ['install', '--save-optional', `@tensorflow/tfjs-node-gpu@${version}`],
    'The CUDA build needs internet for its libtensorflow download, an NVIDIA driver and CUDA 11.2 with cuDNN 8.1.',
  );
  console.log(
    'nnkit native: installed; `npx nnkit backends` says whether tensorflow-gpu loads (auto tries it first where an NVIDIA driver is loaded)',
  );
}
