import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRU_FIXTURE, jsPluginPackage, nnkit, pluginMeta, tempProject } from './helpers.js';

describe('nnkit --version', () => {
  it('says which nnkit, core, tfjs and Node run, in a line or as JSON', async () => {
    const text = await nnkit(['--version']);
    expect(text.code).toBe(0);
    expect(text.stdout.trim()).toMatch(/^nnkit \d+\.\d+\.\d+ \(@nnkit\/core \d+\.\d+\.\d+, @tensorflow\/tfjs 4\.\d+\.\d+, Node v\d+/);
    const json = JSON.parse((await nnkit(['--version', '--json'])).stdout);
    expect(Object.keys(json)).toEqual(['@nnkit/cli', '@nnkit/core', '@tensorflow/tfjs', 'node']);
  });
});

describe('nnkit doctor', () => {
  it('reports backends and why, the plugins with versions and where they came from, tfjs copies, free disk', async () => {
    const cwd = tempProject({ packages: { 'nnkit-plugin-gru': GRU_FIXTURE } });
    const result = await nnkit(['doctor', '--json', '--out', join(cwd, 'not-yet', 'out')], cwd);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.backends.find((b: { name: string }) => b.name === 'cpu')).toMatchObject({ state: 'ready' });
    for (const backend of report.backends) if (backend.state !== 'ready') expect(backend.reason, backend.name).toBeTruthy();
    expect(report.chosen).toEqual({ name: 'cpu', requested: 'cpu' });
    expect(report.plugins).toContainEqual(
      expect.objectContaining({ name: 'nnkit-plugin-gru', version: '0.3.0', nnkit: '^2.0.0', source: 'discovered' }),
    );
    const used = report.tfjs.used as { by: string; dir: string }[];
    expect(new Set(used.map((u) => u.dir)).size).toBe(1); // the plugin shares @nnkit/core's tfjs-core
    expect(used.map((u) => u.by)).toContain('nnkit-plugin-gru');
    expect(report.disk.freeGiB).toBeGreaterThan(0);
    expect(report.disk.measuredAt).toBe(cwd); // the output folder does not exist yet: its nearest existing parent
    // Where the native backend is not set up, doctor lists that (with its fix) and nothing else.
    const others = (report.problems as string[]).filter((problem) => !(problem.includes('npx nnkit native') && !report.native.ready));
    expect(others).toEqual([]);
    const text = await nnkit(['doctor', '--out', cwd], cwd);
    for (const heading of ['backends:', 'plugins:', 'tfjs:', 'disk:', ...(report.native.ready ? ['no problems found'] : [])])
      expect(text.stdout).toContain(heading);
  });

  it('names a plugin that brings its own copy of tfjs-core, and says how to fix it', async () => {
    const plugin = jsPluginPackage('nnkit-plugin-old', pluginMeta('nnkit-plugin-old'));
    mkdirSync(join(plugin, 'node_modules', '@tensorflow', 'tfjs-core'), { recursive: true });
    writeFileSync(
      join(plugin, 'node_modules', '@tensorflow', 'tfjs-core', 'package.json'),
      JSON.stringify({ name: '@tensorflow/tfjs-core', version: '4.10.0' }),
    );
    const cwd = tempProject({ packages: { 'nnkit-plugin-old': plugin } });
    const report = JSON.parse((await nnkit(['doctor', '--json'], cwd)).stdout);
    expect(report.tfjs.used).toContainEqual(expect.objectContaining({ by: 'nnkit-plugin-old', version: '4.10.0' }));
    expect(report.tfjs.installed.map((c: { version: string }) => c.version)).toContain('4.10.0');
    expect(report.problems.join('\n')).toMatch(/2 copies of @tensorflow\/tfjs-core are loaded.*peerDependency/);
  });
});
