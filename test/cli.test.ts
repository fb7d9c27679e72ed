import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRU_FIXTURE, jsPluginPackage, nnkit, pluginMeta, tempProject } from './helpers.js';

const withGru = () => tempProject({ packages: { 'nnkit-plugin-gru': GRU_FIXTURE } });

describe('nnkit CLI: help and usage errors', () => {
  it('prints help with exit 0, for nnkit and for each command', async () => {
    const main = await nnkit(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toContain('usage: nnkit <command>');
    for (const command of ['plugins', 'list', 'info', 'backends', 'train', 'eval', 'predict', 'sample', 'recipe']) {
      const help = await nnkit([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`usage: nnkit ${command}`);
    }
  });

  it.each([
    [[], 'expects a command'],
    [['lisst'], "got 'lisst'"],
    [['list', '--bogus'], "Unknown option '--bogus'"],
    [['list', 'models', 'cells'], 'expects 0 to 1 argument(s), got 2'],
    [['list', 'widgets'], "got 'widgets'"],
    [['info'], 'expects 1 argument(s), got 0'],
    [['list', '--backend', 'tpu'], '--backend expects one of auto'],
    [['list', '--seed', 'x'], '--seed expects'],
  ])('nnkit %j is a usage error: exit 2, message on stderr', async (args, message) => {
    const result = await nnkit(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('usage: nnkit');
    expect(result.stdout).toBe('');
  });
});

describe('nnkit CLI: plugins, list, info', () => {
  it('shows a discovered plugin with its version and origin (--json)', async () => {
    const result = await nnkit(['plugins', '--json'], withGru());
    expect(result.code).toBe(0);
    const plugins = JSON.parse(result.stdout) as { name: string; version: string; source: string; from: string }[];
    expect(plugins).toContainEqual(expect.objectContaining({ name: 'nnkit-plugin-gru', version: '0.3.0', source: 'discovered' }));
  });

  it('lists what a config file loads, as text and as JSON', async () => {
    const cwd = tempProject({
      files: { 'nnkit.config.json': JSON.stringify({ plugins: ['nnkit-plugin-gru'] }) },
      packages: { 'nnkit-plugin-gru': GRU_FIXTURE },
    });
    const text = await nnkit(['list', 'cells'], cwd);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/gru\/gru\s+gated recurrent unit/);
    const json = JSON.parse((await nnkit(['list', '--json'], cwd)).stdout) as Record<string, { name: string; plugin: string }[]>;
    expect(json.models).toContainEqual(expect.objectContaining({ name: 'gru/parity', plugin: 'nnkit-plugin-gru' }));
    expect(json.models).toContainEqual(expect.objectContaining({ name: 'lenet5/lenet5', plugin: '@nnkit/plugin-lenet5' })); // built in
    expect(Object.keys(json)).toEqual(['models', 'cells', 'encoders', 'datasets', 'recipes', 'tasks']);
  });

  it('describes a model: config with defaults and presets', async () => {
    const result = await nnkit(['info', 'gru/parity'], withGru());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/units\s+integer ≥ 1\s+16\s+hidden units/);
    expect(result.stdout).toContain('tiny: for tests');
    const json = JSON.parse((await nnkit(['info', 'gru/parity', '--json'], withGru())).stdout);
    expect(json.config).toContainEqual({
      key: 'cell',
      type: 'string',
      default: 'gru/gru',
      description: 'registered recurrent cell',
    });
  });

  it('says how nnkit train trains a language model: its corpus and truncated BPTT', async () => {
    const result = await nnkit(['info', 'lstm/lm']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/vocabularySize\s+integer ≥ 2( and ≤ \d+)?\s+\(required\)/);
    expect(result.stdout).toContain('dataset: "datasets/moby-dick"');
    expect(result.stdout).toContain('bptt: {"k1":50,"k2":50,"streams":64}');
  });

  it('answers an unknown name as a usage error (exit 2) with the closest names', async () => {
    const result = await nnkit(['info', 'gru/parit'], withGru());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Did you mean 'gru/parity'");
    expect(result.stdout).toBe('');
  });

  it('skips a discovered plugin that takes a name another has, naming both, and loads the first', async () => {
    const twin = jsPluginPackage(
      'nnkit-plugin-gru-twin',
      pluginMeta('nnkit-plugin-gru-twin', { namespace: 'gru' }),
      ", cells: [{ name: 'gru', description: 'another GRU', create() { throw new Error('unused'); } }]",
    );
    const cwd = tempProject({ packages: { 'nnkit-plugin-gru': GRU_FIXTURE, 'nnkit-plugin-gru-twin': twin } });
    const result = await nnkit(['list', 'cells'], cwd);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('gated recurrent unit (Cho et al. 2014)'); // nnkit-plugin-gru's, discovered first
    const line = result.stderr.split('\n').find((l) => l.startsWith('Skipped the discovered plugin package nnkit-plugin-gru-twin'));
    expect(line).toContain("The cell 'gru/gru' is registered by both 'nnkit-plugin-gru' and 'nnkit-plugin-gru-twin'");
  });

  it('skips a broken discovered package with one line on stderr, and every command still works', async () => {
    const old = jsPluginPackage('nnkit-plugin-old', pluginMeta('nnkit-plugin-old', { version: '0.1.0', nnkit: '^0.9.0' }));
    const badJson = tempProject({ files: { 'package.json': '{ "name": "nnkit-plugin-badjson",' } });
    const cwd = tempProject({
      packages: { 'nnkit-plugin-gru': GRU_FIXTURE, 'nnkit-plugin-old': old, 'nnkit-plugin-badjson': badJson },
    });
    const result = await nnkit(['plugins', '--json'], cwd);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).map((p: { name: string }) => p.name)).toContain('nnkit-plugin-gru');
    const skipped = result.stderr.split('\n').filter((line) => line.startsWith('Skipped'));
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toMatch(
      /^Skipped the discovered plugin package nnkit-plugin-badjson \(.*node_modules\/nnkit-plugin-badjson\): its package\.json cannot be read as JSON/,
    );
    expect(skipped[1]).toMatch(
      /^Skipped the discovered plugin package nnkit-plugin-old \(.*node_modules\/nnkit-plugin-old\): .*expects @nnkit\/core \^0\.9\.0, got 2\./,
    );

    const off = await nnkit(['plugins', '--json', '--no-discover'], cwd);
    expect(off.code, off.stderr).toBe(0);
    expect(off.stderr).not.toContain('Skipped');
    expect(JSON.parse(off.stdout).map((p: { source: string }) => p.source)).not.toContain('discovered');
  });

  it("reports a plugin's own failure in one line naming the plugin and the contribution (exit 1), not a stack trace", async () => {
    const faulty = jsPluginPackage(
      'nnkit-plugin-faulty',
      pluginMeta('nnkit-plugin-faulty'),
      ", models: [{ name: 'm', description: 'x', config: {}, training: { dataset: 'faulty/d' }, create() { return undefined.units; } }]" +
        ", datasets: [{ name: 'd', description: 'x', async load() { return undefined.rows; } }]",
    );
    const result = await nnkit(
      ['train', 'faulty/m', '--out', mkdtempSync(join(tmpdir(), 'nnkit-cli-'))],
      tempProject({ packages: { 'nnkit-plugin-faulty': faulty } }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /nnkit: (Dataset 'faulty\/d'|Model 'faulty\/m') of plugin 'nnkit-plugin-faulty' failed in (load|create)\(\): Cannot read properties of undefined/,
    );
    expect(result.stderr).not.toContain('unexpected error');
  });

  it('refuses a typo in nnkit.config.json as a usage error (exit 2), with the closest key', async () => {
    const result = await nnkit(['list'], tempProject({ files: { 'nnkit.config.json': JSON.stringify({ plugns: ['nnkit-plugin-gru'] }) } }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("got unknown key 'plugns'. Did you mean 'plugins'?");
  });

  it('refuses an unknown dataset option as a usage error (exit 2), with the closest option', async () => {
    const result = await nnkit([
      'train',
      'lenet5/lenet5',
      '--dataset-options',
      '{"trainLimt": 10}',
      '--out',
      mkdtempSync(join(tmpdir(), 'nnkit-cli-')),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "Dataset datasets/mnist expects options among trainLimit, validation, testLimit, dir, got unknown option 'trainLimt'. Did you mean 'trainLimit'?",
    );
  });

  it('reports the backend it chose on stderr, never in --json output', async () => {
    const result = await nnkit(['list', 'models', '--backend', 'cpu']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('backend: cpu');
    const json = await nnkit(['list', 'models', '--json']);
    expect(() => JSON.parse(json.stdout)).not.toThrow();
  });
});

describe('nnkit recipe', () => {
  it("prints the slide's claim next to nnkit's measurement, and --json gives the rows", async () => {
    const out = mkdtempSync(join(tmpdir(), 'nnkit-recipe-cli-'));
    const text = await nnkit(['recipe', 'maxpool-backprop', '--out', out]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/✓\s+gradient with respect to the patch\s+\[\[0, 1\], \[0, 0\]\]\s+\[\[0, 1\], \[0, 0\]\]/);
    expect(text.stdout).toContain('reproduced in');
    const json = JSON.parse((await nnkit(['recipe', 'translation-invariance', '--json', '--out', out])).stdout);
    expect(json.rows.every((r: { ok: boolean }) => r.ok)).toBe(true);
    expect(json.figures[0]).toContain(join(out, 'translation-invariance'));
  });

  it('answers an unknown recipe with the closest names (exit 2: a name typed wrong)', async () => {
    const result = await nnkit(['recipe', 'lenet-mnist']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Did you mean 'recipes/lenet5-mnist'");
  });
});
