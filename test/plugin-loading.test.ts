import * as tf from '@tensorflow/tfjs';
import { createKit, IncompatiblePluginError, PluginError, silentProgress, zeroState, type Kit, type SupervisedData } from '@nnkit/core';
import gru, { type ParityClassifier } from 'nnkit-plugin-gru';
import { describe, expect, it } from 'vitest';
import { GRU_FIXTURE, jsPluginPackage, tempProject } from './helpers.js';

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
      files: { 'nnkit.config.json': JSON.stringify({ plugins: [['nnkit-plugin-gru', { withParity: false }]], seed: 5 }) },
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
      files: { 'nnkit.config.mjs': "export default { plugins: [{ name: 'nnkit-plugin-gru' }], config: { epochs: 3 } };\n" },
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

  it('refuses a discovered plugin built for another core, with both versions', async () => {
    const old = jsPluginPackage('nnkit-plugin-old', { name: 'nnkit-plugin-old', version: '0.1.0', namespace: 'old', nnkit: '^3.0.0' });
    const cwd = tempProject({ packages: { 'nnkit-plugin-old': old } });
    const error = await createKit({ ...quiet, discover: true, cwd }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompatiblePluginError);
    expect((error as Error).message).toMatch(/expects @nnkit\/core \^3\.0\.0, got 2\.\d+\.\d+/);
  });

  it('ignores packages without the keyword', async () => {
    const plain = tempProject({ files: { 'package.json': JSON.stringify({ name: 'left-pad', version: '1.0.0' }) } });
    const cwd = tempProject({ packages: { 'left-pad': plain } });
    expect((await createKit({ ...quiet, discover: true, cwd })).plugins).toEqual([]);
  });
});
