import { describe, expect, it } from 'vitest';
import { ContainerModule } from 'inversify';
import { createKit } from './kit.js';
import { definePlugin } from './plugin.js';
import { silentProgress, type ProgressReporter } from './services/progress.js';
import { toyPlugin } from './toy-plugin.fixture.js';
import { TOKENS } from './tokens.js';
import { DuplicateNameError, IncompatiblePluginError } from './errors.js';

describe('createKit', () => {
  it('loads explicit plugins and creates a model by name with a preset', async () => {
    const kit = await createKit({ plugins: [toyPlugin()], backend: 'cpu', progress: silentProgress() });
    expect(kit.plugins.map((p) => [p.plugin.meta.name, p.source])).toEqual([['toy-plugin', 'explicit']]);
    expect(kit.backend.name).toBe('cpu');
    const instance = await kit.createModel('toy/mlp', { preset: 'small' });
    expect(instance).toMatchObject({ key: 'toy/mlp', preset: 'small', owner: 'toy-plugin', config: { units: 4 } });
    expect(instance.model).toEqual({ kind: 'mlp', units: 4, activation: 'relu' });
    expect(await kit.loadDataset('toy/xor')).toHaveLength(4);
  });

  it('accepts a plugin given as a promise (an async factory)', async () => {
    const kit = await createKit({ plugins: [Promise.resolve(toyPlugin())], backend: 'cpu' });
    expect(kit.registry.models.has('toy/mlp')).toBe(true);
  });

  it('loads nothing that was not asked for', async () => {
    const kit = await createKit({ backend: 'cpu' });
    expect(kit.plugins).toEqual([]);
    expect(kit.registry.models.keys()).toEqual([]);
  });

  it('binds services under explicit tokens, and a plugin module can replace one', async () => {
    const lines: string[] = [];
    const reporter: ProgressReporter = { log: (m) => lines.push(m), start: () => ({ update() {}, end() {} }) };
    const replacing = definePlugin({
      meta: { name: 'quiet-reporter', version: '1.0.0', namespace: 'quiet', nnkit: '^2.0.0' },
      module: new ContainerModule(({ bind }) => {
        bind(TOKENS.ProgressReporter).toConstantValue(reporter);
      }),
    });
    const kit = await createKit({ plugins: [toyPlugin(), replacing], backend: 'cpu', seed: 7 });
    expect(kit.progress).toBe(reporter);
    expect(kit.get(TOKENS.ProgressReporter)).toBe(reporter);
    expect(kit.get(TOKENS.Registry)).toBe(kit.registry);
    expect(kit.random.seed).toBe(7);
    expect(kit.random.derive('shuffle')).toBe((await createKit({ backend: 'cpu', seed: 7 })).random.derive('shuffle'));
    expect(kit.random.derive('shuffle')).not.toBe(kit.random.derive('init'));
  });

  it('lets explicit createKit options beat a plugin module, which beats the defaults', async () => {
    const fromPlugin: ProgressReporter = { log: () => {}, start: () => ({ update() {}, end() {} }) };
    const explicit: ProgressReporter = { log: () => {}, start: () => ({ update() {}, end() {} }) };
    const replacing = definePlugin({
      meta: { name: 'reporter-and-seed', version: '1.0.0', namespace: 'rs', nnkit: '^2.0.0' },
      module: new ContainerModule(({ bind }) => {
        bind(TOKENS.ProgressReporter).toConstantValue(fromPlugin);
        bind(TOKENS.Random).toConstantValue({ seed: 99, derive: () => 99 });
      }),
    });
    const withOptions = await createKit({ plugins: [replacing], backend: 'cpu', progress: explicit, seed: 5 });
    expect(withOptions.progress).toBe(explicit);
    expect(withOptions.random.seed).toBe(5);
    const withoutOptions = await createKit({ plugins: [replacing], backend: 'cpu' });
    expect(withoutOptions.progress).toBe(fromPlugin);
    expect(withoutOptions.random.seed).toBe(99);
    const plain = await createKit({ backend: 'cpu' });
    expect(plain.random.seed).toBe(42);
  });

  it('makes a variant model through the registry: the base model with other defaults, its owner recorded', async () => {
    const variant = definePlugin({
      meta: { name: 'variant-plugin', version: '2.0.1', namespace: 'variant', nnkit: '^2.0.0', dependencies: ['toy-plugin'] },
      models: [{ name: 'wide', description: 'the toy mlp, wider', extends: 'toy/mlp', defaults: { units: 64, activation: 'tanh' } }],
    });
    const kit = await createKit({ plugins: [variant, toyPlugin()], backend: 'cpu', progress: silentProgress() });
    const instance = await kit.createModel('variant/wide', { config: { units: 8 } });
    expect(instance).toMatchObject({ key: 'variant/wide', owner: 'variant-plugin', ownerVersion: '2.0.1', config: { units: 8, activation: 'tanh' } });
    expect(instance.model).toEqual({ kind: 'mlp', units: 8, activation: 'tanh' });
    expect(kit.registry.resolveModelConfig('variant/wide', { preset: 'small' }).config).toEqual({ units: 4, activation: 'tanh' });
    expect(kit.registry.models.list().map((e) => e.key)).toEqual(['toy/mlp', 'variant/wide']);
  });

  it('refuses, when the kit is made, a variant of a model nobody registered or with a default its base does not have', async () => {
    const orphan = definePlugin({
      meta: { name: 'orphan', version: '1.0.0', namespace: 'orphan', nnkit: '^2.0.0' },
      models: [{ name: 'm', description: 'x', extends: 'toy/mlp', defaults: {} }],
    });
    await expect(createKit({ plugins: [orphan], backend: 'cpu', progress: silentProgress() })).rejects.toThrow(/'orphan\/m' \(plugin 'orphan'\) expects the model 'toy\/mlp' it extends to be registered/);
    const typo = definePlugin({
      meta: { name: 'typo', version: '1.0.0', namespace: 'typo', nnkit: '^2.0.0' },
      models: [{ name: 'm', description: 'x', extends: 'toy/mlp', defaults: { unit: 3 } }],
    });
    await expect(createKit({ plugins: [toyPlugin(), typo], backend: 'cpu', progress: silentProgress() })).rejects.toThrow(/expects its defaults to be keys of 'toy\/mlp''s config \(units, activation\), got 'unit'/);
  });

  it('surfaces registry errors at creation', async () => {
    await expect(createKit({ plugins: [toyPlugin(), toyPlugin({ name: 'twin' })], backend: 'cpu' })).rejects.toBeInstanceOf(DuplicateNameError);
    await expect(createKit({ plugins: [toyPlugin({ nnkit: '>=9' })], backend: 'cpu' })).rejects.toBeInstanceOf(IncompatiblePluginError);
  });

  it('refuses a bad seed and an unknown backend', async () => {
    await expect(createKit({ seed: -1 })).rejects.toThrow(/seed that is an integer/);
    await expect(createKit({ backend: 'tpu' as never })).rejects.toThrow(/expects one of auto/);
  });
});
