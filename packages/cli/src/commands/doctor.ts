import { existsSync, readdirSync, readFileSync, realpathSync, statfsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { NATIVE_FIX, probeBackends } from '@nnkit/backends';
import { CORE_VERSION, isNnkitError, type Kit } from '@nnkit/core';
import { resolveTfjsCore, type TfjsCoreCopy } from '@nnkit/kit';
import { checkOutputFolder } from '@nnkit/train';
import { defineCommand, option } from '../define-command.js';
import { table } from '../table.js';
import { CLI_VERSION } from '../version.js';

/** Below this much free space in the output folder, a full recipe run (models, checkpoints, figures) may not fit. */
const LOW_DISK_GIB = 1;

/**
 * Every installed @tensorflow/tfjs-core under `cwd`'s node_modules (npm's nested folders and pnpm's store), by real
 * path: more than one is how an app ends up with two kernel registries.
 */
export function installedTfjsCores(cwd: string): TfjsCoreCopy[] {
  const found = new Map<string, string>();
  const visit = (modules: string, depth: number) => {
    if (depth > 6 || !existsSync(modules)) return;
    const core = join(modules, '@tensorflow', 'tfjs-core', 'package.json');
    if (existsSync(core)) {
      const real = realpathSync(dirname(core));
      if (!found.has(real)) found.set(real, String((JSON.parse(readFileSync(core, 'utf8')) as { version?: string }).version ?? 'unknown'));
    }
    let entries: string[];
    try {
      entries = readdirSync(modules);
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry === '.pnpm') {
        for (const stored of readdirSync(join(modules, entry)))
          if (stored.startsWith('@tensorflow+tfjs-core@')) visit(join(modules, entry, stored, 'node_modules'), depth + 1);
      } else if (entry.startsWith('@')) {
        for (const scoped of safeList(join(modules, entry))) visit(join(modules, entry, scoped, 'node_modules'), depth + 1);
      } else if (!entry.startsWith('.')) {
        visit(join(modules, entry, 'node_modules'), depth + 1);
      }
    }
  };
  visit(join(resolve(cwd), 'node_modules'), 0);
  return [...found].map(([dir, version]) => ({ dir, version }));
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Why nnkit could not write its outputs to `out`, as `train --out` would refuse it (a file, under a file, /proc, a
 * read-only folder, no room), or undefined when it can: the same check, which creates nothing.
 */
function outputProblem(out: string): string | undefined {
  try {
    checkOutputFolder(out, { role: 'The output folder (--out)' });
    return undefined;
  } catch (error) {
    if (isNnkitError(error)) return error.message;
    throw error;
  }
}

/** Free space where `path` is, or its nearest existing parent (the output folder may not exist yet). */
function freeSpace(path: string): { at: string; freeGiB: number } {
  let at = resolve(path);
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  const stats = statfsSync(at);
  return { at, freeGiB: (stats.bavail * stats.bsize) / 2 ** 30 };
}

export const doctorCommand = defineCommand({
  usage: 'doctor',
  summary: 'what nnkit finds here: versions, each backend and why, the loaded plugins, copies of tfjs, free disk in the output folder',
  options: { out: option.path('the output folder whose free disk to report (default: nnkit-out)') },
  async run({ options, kit: makeKit, print }) {
    const problems: string[] = [];
    const require = createRequire(import.meta.url);
    const tfjsVersion = (JSON.parse(readFileSync(require.resolve('@tensorflow/tfjs/package.json'), 'utf8')) as { version: string }).version;
    const versions = {
      node: process.version,
      '@nnkit/cli': CLI_VERSION,
      '@nnkit/core': CORE_VERSION,
      '@tensorflow/tfjs': tfjsVersion,
    };

    const backends = await probeBackends();
    if (!backends.some((b) => b.state === 'ready')) problems.push('no backend is ready');
    // The native backend trains several times faster than the wasm fall-back: not having it is a problem to fix.
    const tensorflow = backends.find((b) => b.name === 'tensorflow');
    const nativeReady = tensorflow?.state === 'ready' || backends.some((b) => b.name === 'tensorflow-gpu' && b.state === 'ready');
    if (!nativeReady)
      problems.push(
        `the native tensorflow backend is not ready (${tensorflow?.reason ?? 'unknown'}), so nnkit falls back to a slower one: run \`${NATIVE_FIX}\``,
      );

    let kit: Kit | undefined;
    try {
      kit = await makeKit();
    } catch (error) {
      problems.push(`the plugins did not load: ${(error as Error).message}`);
    }
    const plugins = (kit?.plugins ?? []).map(({ plugin, source, from, warning }) => ({
      name: plugin.meta.name,
      version: plugin.meta.version,
      nnkit: plugin.meta.nnkit ?? '',
      source,
      ...(from !== undefined && { from }),
      ...(warning !== undefined && { warning }),
    }));
    for (const p of plugins) if (p.warning) problems.push(`${p.name}: ${p.warning}`);

    const cwd = process.cwd();
    const coreDir = dirname(require.resolve('@nnkit/core/package.json'));
    const used = [
      { by: '@nnkit/core', copy: resolveTfjsCore(coreDir) },
      ...plugins.filter((p) => p.from).map((p) => ({ by: p.name, copy: resolveTfjsCore(p.from!) })),
    ];
    const loadedCopies = new Set(used.map((u) => u.copy?.dir).filter(Boolean));
    if (loadedCopies.size > 1)
      problems.push(
        `${loadedCopies.size} copies of @tensorflow/tfjs-core are loaded (see tfjs below): make plugins declare @tensorflow/tfjs as a peerDependency, or dedupe`,
      );
    const installed = installedTfjsCores(cwd);

    const out = resolve(options.out ?? 'nnkit-out');
    const disk = freeSpace(out);
    const notWritable = outputProblem(out);
    if (notWritable) problems.push(notWritable);
    if (disk.freeGiB < LOW_DISK_GIB)
      problems.push(`only ${disk.freeGiB.toFixed(2)} GiB free at ${disk.at}: a full recipe run writes models and checkpoints there`);

    const report = {
      versions,
      backends,
      native: nativeReady ? { ready: true } : { ready: false, fix: NATIVE_FIX },
      chosen: kit ? { name: kit.backend.name, requested: kit.backend.requested } : null,
      plugins,
      tfjs: {
        used: used.map((u) => ({ by: u.by, version: u.copy?.version ?? null, dir: u.copy?.dir ?? null })),
        installed,
      },
      disk: { folder: resolve(out), measuredAt: disk.at, freeGiB: Math.round(disk.freeGiB * 100) / 100 },
      problems,
    };
    print(report, () =>
      [
        `nnkit ${CLI_VERSION} (@nnkit/core ${CORE_VERSION}, @tensorflow/tfjs ${tfjsVersion}, Node ${process.version})`,
        '',
        'backends:',
        table([['  backend', 'state', 'reason or detail'], ...backends.map((b) => [`  ${b.name}`, b.state, b.reason ?? b.detail ?? ''])]),
        nativeReady ? '  tensorflow ready (the native backend)' : `  tensorflow not ready: run \`${NATIVE_FIX}\` to set it up`,
        kit
          ? `  in use: ${kit.backend.name}${kit.backend.requested === 'auto' ? ' (auto: the first ready one in the order above)' : ` (asked for ${kit.backend.requested})`}`
          : '',
        '',
        'plugins:',
        plugins.length === 0
          ? '  none loaded'
          : table([
              ['  plugin', 'version', 'nnkit range', 'source', 'from'],
              ...plugins.map((p) => [`  ${p.name}`, p.version, p.nnkit, p.source, p.from ?? '']),
            ]),
        '',
        'tfjs:',
        ...used.map((u) => `  ${u.by} loads @tensorflow/tfjs-core ${u.copy ? `${u.copy.version} at ${u.copy.dir}` : '(none found)'}`),
        `  installed under ${cwd}: ${installed.length === 0 ? 'none' : installed.map((c) => `${c.version} at ${c.dir}`).join('; ')}`,
        '',
        `disk: ${disk.freeGiB.toFixed(1)} GiB free for ${resolve(out)}${disk.at === resolve(out) ? '' : ` (measured at ${disk.at}, its nearest existing folder)`}`,
        '',
        problems.length === 0 ? 'no problems found' : `problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      ].join('\n'),
    );
  },
});
