import { describe, expect, it } from 'vitest';
import { ContainerModule } from 'inversify';
import {
  ConfigError,
  definePlugin,
  DuplicateNameError,
  IncompatiblePluginError,
  PluginError,
  TOKENS,
  type ProgressReporter,
} from '@nnkit/core';
import { createKit } from './create-kit.js';
import { silentProgress } from './services/terminal-progress.js';
import { toyPlugin } from './toy-plugin.fixture.js';

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
    expect(kit.get(TOKENS.ProgressReporter)).toBe(reporter);
    kit.progress.log('said through the kit');
    expect(lines).toEqual(['said through the kit']);
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
    expect(withOptions.get(TOKENS.ProgressReporter)).toBe(explicit);
    expect(withOptions.random.seed).toBe(5);
    const withoutOptions = await createKit({ plugins: [replacing], backend: 'cpu' });
    expect(withoutOptions.get(TOKENS.ProgressReporter)).toBe(fromPlugin);
    expect(withoutOptions.random.seed).toBe(99);
    const plain = await createKit({ backend: 'cpu' });
    expect(plain.random.seed).toBe(42);
  });

  it('makes a variant model through the registry: the base model with other defaults, its owner recorded', async () => {
    const variant = definePlugin({
      meta: {
        name: 'variant-plugin',
        version: '2.0.1',
        namespace: 'variant',
        nnkit: '^2.0.0',
        dependencies: ['toy-plugin'],
      },
      models: [
        {
          name: 'wide',
          description: 'the toy mlp, wider',
          extends: 'toy/mlp',
          defaults: { units: 64, activation: 'tanh' },
        },
      ],
    });
    const kit = await createKit({ plugins: [variant, toyPlugin()], backend: 'cpu', progress: silentProgress() });
    const instance = await kit.createModel('variant/wide', { config: { units: 8 } });
    expect(instance).toMatchObject({
      key: 'variant/wide',
      owner: 'variant-plugin',
      ownerVersion: '2.0.1',
      config: { units: 8, activation: 'tanh' },
    });
    expect(instance.model).toEqual({ kind: 'mlp', units: 8, activation: 'tanh' });
    expect(kit.registry.resolveModelConfig('variant/wide', { preset: 'small' }).config).toEqual({
      units: 4,
      activation: 'tanh',
    });
    expect(kit.registry.models.list().map((e) => e.key)).toEqual(['toy/mlp', 'variant/wide']);
  });

  it('refuses, when the kit is made, a variant of a model nobody registered or with a default its base does not have', async () => {
    const orphan = definePlugin({
      meta: { name: 'orphan', version: '1.0.0', namespace: 'orphan', nnkit: '^2.0.0' },
      models: [{ name: 'm', description: 'x', extends: 'toy/mlp', defaults: {} }],
    });
    await expect(createKit({ plugins: [orphan], backend: 'cpu', progress: silentProgress() })).rejects.toThrow(
      /'orphan\/m' \(plugin 'orphan'\) expects the model 'toy\/mlp' it extends to be registered/,
    );
    const typo = definePlugin({
      meta: { name: 'typo', version: '1.0.0', namespace: 'typo', nnkit: '^2.0.0' },
      models: [{ name: 'm', description: 'x', extends: 'toy/mlp', defaults: { unit: 3 } }],
    });
    await expect(createKit({ plugins: [toyPlugin(), typo], backend: 'cpu', progress: silentProgress() })).rejects.toThrow(
      /expects its defaults to be keys of 'toy\/mlp''s config \(units, activation\), got 'unit'/,
    );
  });

  it('surfaces registry errors at creation', async () => {
    await expect(createKit({ plugins: [toyPlugin(), toyPlugin({ name: 'twin' })], backend: 'cpu' })).rejects.toBeInstanceOf(
      DuplicateNameError,
    );
    await expect(createKit({ plugins: [toyPlugin({ nnkit: '>=9' })], backend: 'cpu' })).rejects.toBeInstanceOf(IncompatiblePluginError);
  });

  it('refuses a bad seed and an unknown backend', async () => {
    await expect(createKit({ seed: -1 })).rejects.toThrow(/seed that is an integer/);
    await expect(createKit({ backend: 'tpu' as never })).rejects.toThrow(/expects one of auto/);
  });
});

describe("a plugin's code failing when the kit calls it", () => {
  /** A plugin whose every contribution throws `thrown` when called. */
  const faulty = (thrown: unknown) =>
    definePlugin({
      meta: { name: 'nnkit-plugin-faulty', version: '1.0.0', namespace: 'faulty', nnkit: '^2.0.0' },
      models: [{ name: 'm', description: 'x', config: {}, create: () => Promise.reject(thrown) }],
      cells: [
        {
          name: 'c',
          description: 'x',
          create: () => {
            throw thrown;
          },
        },
      ],
      encoders: [
        {
          name: 'e',
          description: 'x',
          create: () => {
            throw thrown;
          },
        },
      ],
      datasets: [
        {
          name: 'd',
          description: 'x',
          load: async () => {
            throw thrown;
          },
        },
      ],
    });

  it('is a PluginError naming the plugin, the contribution and the call, with the original as cause', async () => {
    const boom = new TypeError("Cannot read properties of undefined (reading 'units')");
    const kit = await createKit({ plugins: [faulty(boom)], backend: 'cpu', progress: silentProgress() });
    const calls: [string, () => unknown][] = [
      ["Model 'faulty/m' of plugin 'nnkit-plugin-faulty' failed in create(): Cannot read properties", () => kit.createModel('faulty/m')],
      [
        "Cell 'faulty/c' of plugin 'nnkit-plugin-faulty' failed in create(): Cannot read",
        () => kit.createCell('faulty/c', { inputSize: 1, units: 1 }),
      ],
      ["Encoder 'faulty/e' of plugin 'nnkit-plugin-faulty' failed in create(): Cannot read", () => kit.createEncoder('faulty/e')],
      ["Dataset 'faulty/d' of plugin 'nnkit-plugin-faulty' failed in load(): Cannot read", () => kit.loadDataset('faulty/d')],
    ];
    for (const [message, call] of calls) {
      const error = await (async () => call())().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PluginError);
      expect((error as Error).message).toContain(message);
      expect((error as Error).cause).toBe(boom);
    }
  });

  it('passes an NnkitError the plugin throws on purpose through as it is', async () => {
    const meant = new ConfigError("Config key 'units' of model 'faulty/m' expects an even integer, got 3.", 'units');
    const kit = await createKit({ plugins: [faulty(meant)], backend: 'cpu', progress: silentProgress() });
    await expect(kit.createModel('faulty/m')).rejects.toBe(meant);
    expect(() => kit.createCell('faulty/c', { inputSize: 1, units: 1 })).toThrow(meant);
    await expect(kit.loadDataset('faulty/d')).rejects.toBe(meant);
  });

  it('names the plugin given as a promise whose factory failed', async () => {
    const error = await createKit({
      plugins: [toyPlugin(), Promise.reject(new RangeError('no GPU'))],
      backend: 'cpu',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginError);
    expect((error as Error).message).toBe("createKit's plugins[1] failed in its factory: no GPU");
  });
});
