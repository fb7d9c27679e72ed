import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProgressReporter } from '@nnkit/core';
import { createKit } from './create-kit.js';
import { importPlugin, resolveTfjsCore, tfjsCopyWarning } from './plugin-loading.js';
import { silentProgress } from './services/terminal-progress.js';

/** A folder with the given files (path → contents), as a package manager would leave it. */
function folder(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'nnkit-tfjs-copies-')));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const tfjsCore = (version: string) => JSON.stringify({ name: '@tensorflow/tfjs-core', version });
const CORE_PKG = 'node_modules/@tensorflow/tfjs-core/package.json';

describe('tfjsCopyWarning', () => {
  it('says in one line which two copies of tfjs-core are loaded, and how to make them one', () => {
    const core = folder({ [CORE_PKG]: tfjsCore('4.22.0') });
    const plugin = folder({ [CORE_PKG]: tfjsCore('4.10.0') });
    const line = tfjsCopyWarning('nnkit-plugin-old', plugin, core)!;
    expect(line).toBe(
      `two copies of @tensorflow/tfjs-core are loaded: 4.22.0 at ${core}/node_modules/@tensorflow/tfjs-core (used by @nnkit/core) ` +
        `and 4.10.0 at ${plugin}/node_modules/@tensorflow/tfjs-core (used by nnkit-plugin-old). ` +
        `Make the plugin declare @tensorflow/tfjs as a peerDependency, or dedupe: pnpm dedupe / npm dedupe.`,
    );
    expect(line).not.toContain('\n');
  });

  it('says nothing when both load the same copy, also through a link, or when the plugin reaches none', () => {
    const core = folder({ [CORE_PKG]: tfjsCore('4.22.0') });
    expect(tfjsCopyWarning('p', core, core)).toBeUndefined();
    const linked = folder({});
    mkdirSync(join(linked, 'node_modules', '@tensorflow'), { recursive: true });
    symlinkSync(join(core, 'node_modules/@tensorflow/tfjs-core'), join(linked, 'node_modules/@tensorflow/tfjs-core'), 'dir');
    expect(tfjsCopyWarning('p', linked, core)).toBeUndefined();
    expect(tfjsCopyWarning('p', folder({ 'package.json': '{}' }), core)).toBeUndefined();
  });

  it('finds tfjs-core through @tensorflow/tfjs where only tfjs is linked (pnpm)', () => {
    const store = folder({
      'tfjs/node_modules/@tensorflow/tfjs/package.json': JSON.stringify({
        name: '@tensorflow/tfjs',
        version: '4.22.0',
      }),
      [`tfjs/${CORE_PKG}`]: tfjsCore('4.22.0'),
    });
    const plugin = folder({});
    mkdirSync(join(plugin, 'node_modules', '@tensorflow'), { recursive: true });
    symlinkSync(join(store, 'tfjs/node_modules/@tensorflow/tfjs'), join(plugin, 'node_modules/@tensorflow/tfjs'), 'dir');
    expect(resolveTfjsCore(plugin)).toEqual({
      version: '4.22.0',
      dir: join(store, 'tfjs/node_modules/@tensorflow/tfjs-core'),
    });
  });
});

describe('a plugin package that brings its own tfjs-core', () => {
  // What a second copy prints at import: one line per kernel (hundreds), then anything else it has to say.
  const noisyPlugin = () =>
    folder({
      'node_modules/nnkit-plugin-noisy/package.json': JSON.stringify({
        name: 'nnkit-plugin-noisy',
        version: '1.0.0',
        type: 'module',
        keywords: ['nnkit-plugin'],
        exports: './index.js',
      }),
      'node_modules/nnkit-plugin-noisy/index.js':
        "console.warn(\"The kernel 'Add' for backend 'cpu' is already registered\");\n" +
        "console.warn('cpu backend was already registered. Reusing existing backend factory.');\n" +
        "console.warn('a warning of its own');\n" +
        "export default () => ({ meta: { name: 'nnkit-plugin-noisy', version: '1.0.0', namespace: 'noisy', nnkit: '^2.0.0' } });\n",
      [`node_modules/nnkit-plugin-noisy/${CORE_PKG}`]: tfjsCore('4.10.0'),
    });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('is imported without tfjs re-registration warnings, and returns one line instead', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const cwd = noisyPlugin();
    const { plugin, warning } = await importPlugin('nnkit-plugin-noisy', {}, cwd);
    expect(plugin.meta.name).toBe('nnkit-plugin-noisy');
    expect(warn.mock.calls).toEqual([['a warning of its own']]);
    expect(warning).toMatch(
      /^two copies of @tensorflow\/tfjs-core are loaded: 4\.22\.0 at .* and 4\.10\.0 at .*nnkit-plugin-noisy.*\(used by nnkit-plugin-noisy\)/,
    );
    expect(console.warn).toBe(warn); // restored to what it was before the import
  });

  it('makes createKit log that line once on the kit progress reporter', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const lines: string[] = [];
    const progress: ProgressReporter = { ...silentProgress(), log: (m) => lines.push(m) };
    const kit = await createKit({ discover: true, cwd: noisyPlugin(), backend: 'cpu', progress });
    expect(kit.plugins.map((p) => p.plugin.meta.name)).toEqual(['nnkit-plugin-noisy']);
    expect(lines.filter((l) => l.startsWith('two copies of @tensorflow/tfjs-core'))).toHaveLength(1);
    expect(kit.plugins[0]!.warning).toBe(lines.find((l) => l.startsWith('two copies')));
  });
});
