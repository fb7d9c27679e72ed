import { describe, expect, it } from 'vitest';
import { field } from './config-schema.js';
import { ConfigError, DuplicateNameError, IncompatiblePluginError, PluginError, UnknownNameError } from './errors.js';
import { checkDependencies, validatePlugin } from './plugin-validation.js';
import { Registry } from './registry.js';
import { toyPlugin } from './toy-plugin.fixture.js';
import { CORE_VERSION } from './version.js';

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('Registry', () => {
  it('files contributions under namespace/name and lists them', () => {
    const registry = new Registry();
    registry.register(toyPlugin());
    expect(registry.models.keys()).toEqual(['toy/mlp']);
    expect(registry.datasets.has('toy/xor')).toBe(true);
    expect(registry.models.entry('toy/mlp').owner).toBe('toy-plugin');
    expect(registry.cells.list()).toEqual([]);
  });

  it('refuses a duplicate name and names both owners', () => {
    const registry = new Registry();
    registry.register(toyPlugin());
    const error = thrown(() => registry.register(toyPlugin({ name: 'other-plugin' })));
    expect(error).toBeInstanceOf(DuplicateNameError);
    expect((error as DuplicateNameError).code).toBe('NNKIT_DUPLICATE_NAME');
    expect(error.message).toContain("'toy/mlp'");
    expect(error.message).toContain("'toy-plugin'");
    expect(error.message).toContain("'other-plugin'");
  });

  it('answers an unknown name with the closest registered names', () => {
    const registry = new Registry();
    registry.register(toyPlugin());
    const error = thrown(() => registry.models.get('toy/mpl')) as UnknownNameError;
    expect(error).toBeInstanceOf(UnknownNameError);
    expect(error.suggestions).toEqual(['toy/mlp']);
    expect(error.message).toContain("Did you mean 'toy/mlp'?");
    expect(error.message).toContain('plugin');
    expect((thrown(() => registry.models.get('mlp')) as UnknownNameError).suggestions).toEqual(['toy/mlp']);
  });

  it('refuses a contribution name with a slash', () => {
    const plugin = toyPlugin();
    const bad = {
      ...plugin,
      cells: [
        {
          name: 'a/b',
          description: 'x',
          create: () => {
            throw new Error();
          },
        },
      ],
    };
    expect(thrown(() => new Registry().register(bad))).toBeInstanceOf(PluginError);
  });

  it('resolves a model config from a preset, overrides and defaults', () => {
    const registry = new Registry();
    registry.register(toyPlugin());
    expect(registry.resolveModelConfig('toy/mlp').config).toEqual({ units: 32, activation: 'relu' });
    expect(registry.resolveModelConfig('toy/mlp', { preset: 'classic' }).config).toEqual({
      units: 100,
      activation: 'tanh',
    });
    expect(registry.resolveModelConfig('toy/mlp', { preset: 'classic', config: { units: 7 } })).toEqual({
      key: 'toy/mlp',
      preset: 'classic',
      config: { units: 7, activation: 'tanh' },
    });
  });

  it('refuses an unknown preset, and an ill-typed override with the key named', () => {
    const registry = new Registry();
    registry.register(toyPlugin());
    const preset = thrown(() => registry.resolveModelConfig('toy/mlp', { preset: 'smal' })) as UnknownNameError;
    expect(preset).toBeInstanceOf(UnknownNameError);
    expect(preset.suggestions).toEqual(['small']);
    const override = thrown(() => registry.resolveModelConfig('toy/mlp', { config: { units: -1 } })) as ConfigError;
    expect(override).toBeInstanceOf(ConfigError);
    expect(override.key).toBe('units');
  });
});

describe('Registry: option schemas of datasets and encoders', () => {
  const plugin = () => ({
    meta: { name: 'shapes', version: '1.0.0', namespace: 'shapes', nnkit: '^2.0.0' },
    datasets: [
      {
        name: 'dots',
        description: 'dots',
        options: { count: field.integer({ default: 8, min: 1, description: 'dots' }) },
        load: async () => [],
      },
    ],
    encoders: [
      {
        name: 'flat',
        description: 'flat',
        options: { scale: field.number({ default: 1, min: 0, description: 'scale' }) },
        create: () => {
          throw new Error('unused');
        },
      },
    ],
  });

  it('checks them before load() and create(), filling defaults, as a model config is checked', () => {
    const registry = new Registry();
    registry.register(plugin());
    expect(registry.resolveDatasetOptions('shapes/dots')).toEqual({ count: 8 });
    expect(() => registry.resolveDatasetOptions('shapes/dots', { cuont: 2 })).toThrow(
      "Dataset shapes/dots expects options among count, got unknown option 'cuont'. Did you mean 'count'?",
    );
    expect(() => registry.resolveDatasetOptions('shapes/dots', { count: 0 })).toThrow(ConfigError);
    // The contract's own seed, name and inputShape pass through beside the encoder's own options.
    expect(registry.resolveEncoderOptions('shapes/flat', { seed: 3, name: 'f', inputShape: [2, 2, 1] })).toEqual({
      scale: 1,
      seed: 3,
      name: 'f',
      inputShape: [2, 2, 1],
    });
    expect(() => registry.resolveEncoderOptions('shapes/flat', { scale: -1 })).toThrow(
      "Option 'scale' of encoder shapes/flat expects a number ≥ 0 (scale), got -1.",
    );
  });

  it('passes the options of a dataset without a schema on as given', () => {
    const registry = new Registry();
    registry.register(toyPlugin());
    expect(registry.resolveDatasetOptions('toy/xor', { anything: 1 })).toEqual({ anything: 1 });
  });
});

describe('validatePlugin', () => {
  it('accepts a plugin whose range admits this core', () => {
    expect(validatePlugin(toyPlugin(), 'test').meta.name).toBe('toy-plugin');
  });

  it('refuses a plugin for another core version, with both versions in the message', () => {
    const error = thrown(() => validatePlugin(toyPlugin({ nnkit: '^3.0.0' }), 'test'));
    expect(error).toBeInstanceOf(IncompatiblePluginError);
    expect(error.message).toContain('^3.0.0');
    expect(error.message).toContain(CORE_VERSION);
  });

  it.each([
    [undefined, 'got undefined'],
    [() => toyPlugin(), 'call it'],
    [{ models: [] }, "without 'meta'"],
    [{ meta: { name: 'x', version: '1', namespace: 'x' } }, 'meta.nnkit'],
    [{ meta: { name: 'x', version: '1', namespace: 'Bad Space', nnkit: '^2' } }, 'meta.namespace'],
    [{ meta: { name: 'x', version: '1', namespace: 'x', nnkit: 'not a range' } }, 'semver range'],
  ])('refuses %j with a message that says what to fix', (candidate, fix) => {
    const error = thrown(() => validatePlugin(candidate, 'test'));
    expect(error).toBeInstanceOf(PluginError);
    expect(error.message).toContain(fix);
  });

  const meta = { name: 'nnkit-plugin-bad', version: '1.0.0', namespace: 'bad', nnkit: '^2.0.0' };
  const units = field.integer({ default: 2, min: 1, description: 'hidden units' });
  /** A plugin whose model 'm' has a preset 'tiny' that sets `config`. */
  const withPreset = (config: Record<string, unknown>) => ({
    models: [{ name: 'm', description: 'x', config: { units }, presets: { tiny: { description: 'x', config } }, create: () => ({}) }],
  });
  it.each([
    [
      { cells: [{ name: 'gru', description: 'x' }] },
      "Plugin 'nnkit-plugin-bad' expects its cell 'bad/gru' to have create(options) as a function, got undefined.",
    ],
    [
      { models: [{ name: 'm', description: 'x', config: {} }] },
      "expects its model 'bad/m' to have create(config, context) as a function, got undefined",
    ],
    [
      { datasets: [{ name: 'd', description: 'x', load: 'soon' }] },
      "expects its dataset 'bad/d' to have load(options, context) as a function, got string",
    ],
    [
      { models: [{ name: 'm', description: 'x', config: { units: 3 }, create: () => ({}) }] },
      "expects config key 'units' of its model 'bad/m' to be a field.* definition, got 3",
    ],
    [{ models: [{ name: 'm', description: 'x', create: () => ({}) }] }, "expects its model 'bad/m' to have a config schema"],
    [
      withPreset({ unitz: 1 }),
      "expects preset 'tiny' of its model 'bad/m' to set keys of its config (units), got 'unitz'. Did you mean 'units'?",
    ],
    [withPreset({ units: 0 }), "sets 'units' in preset 'tiny' of its model 'bad/m' to 0, but the config expects an integer ≥ 1"],
    [
      { models: [{ name: 'm', description: 'x', config: { units: { ...units, default: 0 } }, create: () => ({}) }] },
      "sets the default of config key 'units' of its model 'bad/m' to 0, but the field expects an integer ≥ 1",
    ],
    [
      { cells: [{ name: 7, description: 'x', create: () => ({}) }] },
      "Plugin 'nnkit-plugin-bad' registers a cell whose name expects letters",
    ],
    [{ cells: { name: 'gru' } }, "Plugin 'nnkit-plugin-bad' expects 'cells' to be an array, got object"],
  ])('refuses a malformed contribution when the plugin is loaded: %j', (contributions, message) => {
    const error = thrown(() => validatePlugin({ meta, ...contributions }, 'test'));
    expect(error).toBeInstanceOf(PluginError);
    expect(error.message).toContain(message);
  });

  it('accepts every well-formed kind of contribution, variants included', () => {
    const plugin = { meta, models: [{ name: 'v', description: 'x', extends: 'toy/mlp', defaults: { units: 3 } }] };
    expect(validatePlugin(plugin, 'test')).toBe(plugin);
  });

  it('refuses a plugin whose dependency is not loaded', () => {
    const needy = toyPlugin({ name: 'needy', namespace: 'needy', dependencies: ['toy-plugin', 'absent-plugin'] });
    expect(() => checkDependencies([toyPlugin(), needy])).toThrow(/expects plugin 'absent-plugin'/);
    expect(() => checkDependencies([toyPlugin(), toyPlugin({ name: 'ok', namespace: 'ok', dependencies: ['toy-plugin'] })])).not.toThrow();
  });

  it('names every missing dependency in one refusal', () => {
    const needy = toyPlugin({
      name: 'needy',
      namespace: 'needy',
      dependencies: ['absent-a', 'toy-plugin', 'absent-b'],
    });
    expect(() => checkDependencies([toyPlugin(), needy])).toThrow(
      /expects plugins 'absent-a', 'absent-b' to be loaded too, .* Add absent-a, absent-b to the kit's plugins\./,
    );
  });
});
