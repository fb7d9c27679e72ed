import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, PluginError, type Kit, type ProgressReporter, type SupervisedData } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import { zeroState } from '@nnkit/ops';
import gru, { type ParityClassifier } from 'nnkit-plugin-gru';
import { describe, expect, it } from 'vitest';
import { GRU_FIXTURE, jsPluginPackage, pluginMeta, tempProject } from './helpers.js';

const quiet = { backend: 'cpu', progress: silentProgress() } as const;

describe('loading a third-party plugin explicitly', () => {
  it('registers its cell, model and dataset, and models find the cell by name', async () => {
    const kit = await createKit({ ...quiet, plugins: [gru()] });
    expect(kit.registry.cells.keys()).toEqual(['gru/gru']);
    expect(kit.registry.models.keys()).toEqual(['gru/parity']);

    const before = tf.memory().numTensors;
    const { model } = await kit.createModel<ParityClassifier>('gru/parity', { preset: 'tiny' });
    const data = await kit.loadDataset<SupervisedData>('gru/parity-bits', { examples: 5, length: 6 });
    const p = model.predict(data.train.xs);
    expect(p.shape).toEqual([5, 1]);
    const values = await p.data();
    expect([...values].every((v) => v > 0 && v < 1)).toBe(true);
    tf.dispose(p);
    data.dispose();
    model.dispose!();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('passes options to the plugin factory', async () => {
    const kit = await createKit({ ...quiet, plugins: [gru({ withParity: false })] });
    expect(kit.registry.models.keys()).toEqual([]);
    expect(kit.registry.cells.keys()).toEqual(['gru/gru']);
  });

  it('runs the GRU cell one step with the right shapes and no leaked tensors', async () => {
    const kit: Kit = await createKit({ ...quiet, plugins: [gru()] });
    const cell = kit.createCell('gru/gru', { inputSize: 3, units: 5, seed: 1 });
    const before = tf.memory().numTensors;
    expect(cell.stateSizes).toEqual([5]);
    expect(Object.keys(cell.weights)).toEqual(['gru/kernel', 'gru/recurrent', 'gru/bias']);
    const [h] = zeroState(cell, 2);
    const x = tf.ones([2, 3]) as tf.Tensor2D;
    const { output, state } = cell.step(x, [h!]);
    expect(output.shape).toEqual([2, 5]);
    expect(state[0]).toBe(output);
    tf.dispose([h!, x, output]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(cell.weights));
  });
});

describe('loading plugins from a config file', () => {
  it('reads nnkit.config.json: package names with options, seed', async () => {
    const cwd = tempProject({
      files: {
        'nnkit.config.json': JSON.stringify({ plugins: [['nnkit-plugin-gru', { withParity: false }]], seed: 5 }),
      },
      packages: { 'nnkit-plugin-gru': GRU_FIXTURE },
    });
    const kit = await createKit({ ...quiet, configFile: true, cwd });
    expect(kit.plugins.map((p) => [p.plugin.meta.name, p.source])).toEqual([['nnkit-plugin-gru', 'config']]);
    expect(kit.plugins[0]!.from).toMatch(/nnkit\.config\.json$/);
    expect(kit.registry.models.keys()).toEqual([]);
    expect(kit.random.seed).toBe(5);
  });

  it('reads nnkit.config.mjs', async () => {
    const cwd = tempProject({
      files: {
        'nnkit.config.mjs': "export default { plugins: [{ name: 'nnkit-plugin-gru' }], config: { epochs: 3 } };\n",
      },
      packages: { 'nnkit-plugin-gru': GRU_FIXTURE },
    });
    const kit = await createKit({ ...quiet, configFile: true, cwd });
    expect(kit.registry.models.keys()).toEqual(['gru/parity']);
    expect(kit.config).toEqual({ epochs: 3 });
  });

  it('says what to install when a listed package is absent', async () => {
    const cwd = tempProject({ files: { 'nnkit.config.json': JSON.stringify({ plugins: ['nnkit-plugin-absent'] }) } });
    const error = await createKit({ ...quiet, configFile: true, cwd }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginError);
    expect((error as Error).message).toContain('pnpm add nnkit-plugin-absent');
  });

  it('refuses a config file that is not an object', async () => {
    const cwd = tempProject({ files: { 'nnkit.config.json': '[1, 2]' } });
    await expect(createKit({ ...quiet, configFile: true, cwd })).rejects.toThrow(/expects an object/);
  });

  it('refuses an unknown key with the closest known one, rather than ignoring a typo', async () => {
    const cwd = tempProject({ files: { 'nnkit.config.json': JSON.stringify({ plugns: ['nnkit-plugin-gru'] }) } });
    const error = await createKit({ ...quiet, configFile: true, cwd }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /nnkit\.config\.json expects keys among plugins, backend, seed, config, discover, got unknown key 'plugns'\. Did you mean 'plugins'\?/,
    );
    const mjs = tempProject({ files: { 'nnkit.config.mjs': 'export default { sead: 3 };\n' } });
    await expect(createKit({ ...quiet, configFile: true, cwd: mjs })).rejects.toThrow(/unknown key 'sead'\. Did you mean 'seed'\?/);
    const backend = tempProject({ files: { 'nnkit.config.json': JSON.stringify({ backend: 'tpu' }) } });
    await expect(createKit({ configFile: true, cwd: backend })).rejects.toThrow(/expects 'backend' to be one of auto, .*, got "tpu"/);
  });

  it('keeps a listed plugin that fails to load an error: the user asked for it', async () => {
    const throws = jsPluginPackage('nnkit-plugin-throws', {});
    writeFileSync(join(throws, 'index.js'), "throw new Error('half installed');\n");
    const cwd = tempProject({
      files: { 'nnkit.config.json': JSON.stringify({ plugins: ['nnkit-plugin-throws'] }) },
      packages: { 'nnkit-plugin-throws': throws },
    });
    await expect(createKit({ ...quiet, configFile: true, cwd })).rejects.toThrow(
      /Plugin package 'nnkit-plugin-throws' \(.*\) failed to load: half installed/,
    );
  });
});

describe('discovering installed plugins', () => {
  it('loads packages whose package.json has the keyword nnkit-plugin', async () => {
    const cwd = tempProject({ packages: { 'nnkit-plugin-gru': GRU_FIXTURE } });
    const kit = await createKit({ ...quiet, discover: true, cwd });
    expect(kit.plugins.map((p) => [p.plugin.meta.name, p.source])).toEqual([['nnkit-plugin-gru', 'discovered']]);
    expect(kit.registry.cells.has('gru/gru')).toBe(true);
  });

  it('does not load a package twice when the config file lists it too', async () => {
    const cwd = tempProject({
      files: { 'nnkit.config.json': JSON.stringify({ plugins: ['nnkit-plugin-gru'] }) },
      packages: { 'nnkit-plugin-gru': GRU_FIXTURE },
    });
    const kit = await createKit({ ...quiet, configFile: true, discover: true, cwd });
    expect(kit.plugins.map((p) => p.source)).toEqual(['config']);
  });

  it('skips a discovered plugin built for another core, saying so with both versions', async () => {
    const old = jsPluginPackage('nnkit-plugin-old', pluginMeta('nnkit-plugin-old', { version: '0.1.0', nnkit: '^3.0.0' }));
    const cwd = tempProject({ packages: { 'nnkit-plugin-old': old } });
    const kit = await createKit({ ...quiet, discover: true, cwd });
    expect(kit.plugins).toEqual([]);
    expect(kit.skipped.map((s) => s.name)).toEqual(['nnkit-plugin-old']);
    expect(kit.skipped[0]!.problem).toMatch(/expects @nnkit\/core \^3\.0\.0, got 2\.\d+\.\d+/);
  });

  it('skips each broken discovered package with one line (name, path, why) and loads the others', async () => {
    const broken = {
      'nnkit-plugin-badjson': tempProject({ files: { 'package.json': '{ "name": "nnkit-plugin-badjson", ' } }),
      'nnkit-plugin-noentry': tempProject({
        files: { 'package.json': JSON.stringify({ name: 'nnkit-plugin-noentry', keywords: ['nnkit-plugin'] }) },
      }),
      'nnkit-plugin-throws': jsPluginPackage('nnkit-plugin-throws', pluginMeta('nnkit-plugin-throws')),
      'nnkit-plugin-factory': tempProject({
        files: {
          'package.json': JSON.stringify({
            name: 'nnkit-plugin-factory',
            type: 'module',
            keywords: ['nnkit-plugin'],
            main: 'index.js',
          }),
          'index.js': "export default () => { throw new Error('needs a licence key'); };\n",
        },
      }),
      'nnkit-plugin-nocreate': jsPluginPackage(
        'nnkit-plugin-nocreate',
        pluginMeta('nnkit-plugin-nocreate'),
        ", cells: [{ name: 'c', description: 'x' }]",
      ),
      'nnkit-plugin-needy': jsPluginPackage(
        'nnkit-plugin-needy',
        pluginMeta('nnkit-plugin-needy', { dependencies: ['nnkit-plugin-absent'] }),
      ),
      'nnkit-plugin-orphan': jsPluginPackage(
        'nnkit-plugin-orphan',
        pluginMeta('nnkit-plugin-orphan'),
        ", models: [{ name: 'v', description: 'x', extends: 'absent/m', defaults: {} }]",
      ),
    };
    writeFileSync(join(broken['nnkit-plugin-throws'], 'index.js'), "import './missing.js';\n");
    const cwd = tempProject({ packages: { 'nnkit-plugin-gru': GRU_FIXTURE, ...broken } });
    const lines: string[] = [];
    const progress: ProgressReporter = { ...silentProgress(), log: (line) => lines.push(line) };
    const kit = await createKit({ backend: 'cpu', progress, discover: true, cwd });

    expect(kit.plugins.map((p) => [p.plugin.meta.name, p.source])).toEqual([['nnkit-plugin-gru', 'discovered']]);
    expect(kit.registry.models.keys()).toEqual(['gru/parity']);
    const why = Object.fromEntries(kit.skipped.map((s) => [s.name, s.problem]));
    expect(Object.keys(why).sort()).toEqual(Object.keys(broken).sort());
    expect(why['nnkit-plugin-badjson']).toMatch(/package\.json cannot be read as JSON/);
    expect(why['nnkit-plugin-noentry']).toMatch(
      /index\.js to exist, got no such file\. Its package\.json names none in 'exports' or 'main'/,
    );
    expect(why['nnkit-plugin-throws']).toMatch(/failed to load: Cannot find module .*missing\.js/);
    expect(why['nnkit-plugin-factory']).toMatch(/failed in its factory .*: needs a licence key\./);
    expect(why['nnkit-plugin-nocreate']).toContain("expects its cell 'nocreate/c' to have create(options) as a function, got undefined");
    expect(why['nnkit-plugin-needy']).toContain("expects plugin 'nnkit-plugin-absent' to be loaded too");
    expect(why['nnkit-plugin-orphan']).toContain("its model 'orphan/v' expects the model 'absent/m' it extends to be registered, got none");
    for (const { name, dir } of kit.skipped) {
      const line = lines.find((l) => l.includes(`package ${name} (`))!;
      expect(line).toContain(dir);
      expect(line).not.toContain('\n');
    }
  });

  it('discovers nothing when the config file says "discover": false', async () => {
    const cwd = tempProject({
      files: { 'nnkit.config.json': JSON.stringify({ discover: false }) },
      packages: { 'nnkit-plugin-gru': GRU_FIXTURE },
    });
    expect((await createKit({ ...quiet, configFile: true, discover: true, cwd })).plugins).toEqual([]);
  });

  it('ignores packages without the keyword', async () => {
    const plain = tempProject({ files: { 'package.json': JSON.stringify({ name: 'left-pad', version: '1.0.0' }) } });
    const cwd = tempProject({ packages: { 'left-pad': plain } });
    expect((await createKit({ ...quiet, discover: true, cwd })).plugins).toEqual([]);
  });
});
