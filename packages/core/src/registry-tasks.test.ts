import { describe, expect, it } from 'vitest';
import { PluginError, UnknownNameError } from './errors.js';
import type { NnkitPlugin } from './plugin.js';
import { validatePlugin } from './plugin-validation.js';
import { Registry } from './registry.js';
import type { TaskDefinition } from './task-contract.js';

/** A task that holds arrays of numbers: everything a task must have, doing as little as it can. */
const numbers: TaskDefinition<number[]> = {
  name: 'numbers',
  description: 'arrays of numbers',
  holds: 'numbers',
  accepts: (data): data is number[] => Array.isArray(data),
  fits: (model): model is never => model !== undefined,
  configFrom: () => ({}),
  trainingData: () => {
    throw new Error('not trained here');
  },
  evaluate: async () => ({}),
  splits: () => ['train'],
};

function taskPlugin(tasks: readonly TaskDefinition<never, never>[] = [numbers as TaskDefinition<never, never>]): NnkitPlugin {
  return { meta: { name: 'kinds', version: '1.0.0', namespace: 'kinds', nnkit: '^2.0.0' }, tasks };
}

/** What createKit (@nnkit/kit) does with the plugins it loads, up to the services: validate, register, check. */
async function loadPlugins(plugins: readonly NnkitPlugin[]): Promise<{ registry: Registry }> {
  const registry = new Registry();
  for (const plugin of plugins) registry.register(validatePlugin(plugin, 'test'));
  registry.check();
  return { registry };
}

/** A model and a dataset that each name `task`. */
function naming(task: string, what: 'models' | 'datasets'): NnkitPlugin {
  const contribution =
    what === 'models'
      ? { name: 'm', description: 'm', config: {}, create: () => ({}), task }
      : { name: 'd', description: 'd', load: async () => [1, 2], task };
  return {
    meta: { name: 'user', version: '1.0.0', namespace: 'user', nnkit: '^2.0.0' },
    [what]: [contribution],
  } as NnkitPlugin;
}

describe('tasks, a kind of contribution', () => {
  it('are filed under the namespace, listed, and told apart from other kinds', () => {
    const registry = new Registry();
    registry.register(taskPlugin());
    expect(registry.tasks.keys()).toEqual(['kinds/numbers']);
    expect(registry.tasks.get('kinds/numbers').holds).toBe('numbers');
    expect(registry.kindOf('kinds/numbers')).toBe('task');
    expect(() => registry.models.get('kinds/numbers')).toThrow("'kinds/numbers' is a task, not a model");
  });

  it('are refused at load when a call every trainer makes is missing, or they do not say what they hold', () => {
    const { evaluate: _, ...withoutEvaluate } = numbers;
    expect(() => validatePlugin(taskPlugin([withoutEvaluate as never]), 'test')).toThrow(
      "Plugin 'kinds' expects its task 'kinds/numbers' to have evaluate(model, data, split, context) as a function, got undefined.",
    );
    expect(() => validatePlugin(taskPlugin([{ ...numbers, holds: '' } as never]), 'test')).toThrow(
      /expects its task 'kinds\/numbers' to say what data it holds/,
    );
    expect(() => validatePlugin(naming(7 as never, 'models'), 'test')).toThrow(
      /expects the task of its model 'user\/m' to be a registered task's key/,
    );
  });

  it('named by a model or a dataset must be registered where their plugin is loaded: a typo is refused at kit creation, with the closest', async () => {
    for (const what of ['models', 'datasets'] as const) {
      const refused = await loadPlugins([taskPlugin(), naming('kinds/number', what)]).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(PluginError);
      expect((refused as Error).message).toMatch(
        /^Plugin 'user' names an unregistered task for its (model 'user\/m'|dataset 'user\/d'): No task named 'kinds\/number' is registered\. Did you mean 'kinds\/numbers'\?/,
      );
      expect((refused as Error).cause).toBeInstanceOf(UnknownNameError);
      const kit = await loadPlugins([taskPlugin(), naming('kinds/numbers', what)]);
      expect(kit.registry.tasks.keys()).toEqual(['kinds/numbers']);
    }
  });

  it('of a plugin that is not loaded are looked up when needed, so a kit of one model plugin still loads', async () => {
    const kit = await loadPlugins([naming('tasks/labelled-images', 'models')]);
    expect(kit.registry.models.get('user/m').task).toBe('tasks/labelled-images');
    expect(() => kit.registry.tasks.get('tasks/labelled-images')).toThrow(
      /No task named 'tasks\/labelled-images' is registered\. Registered: none\. Is the plugin that provides it loaded\?/,
    );
  });

  it('are inherited by a model variant unless it names its own', () => {
    const registry = new Registry();
    registry.register(taskPlugin());
    registry.register(naming('kinds/numbers', 'models'));
    registry.register({
      meta: { name: 'variants', version: '1.0.0', namespace: 'v', nnkit: '^2.0.0' },
      models: [
        { name: 'same', description: 's', extends: 'user/m', defaults: {} },
        { name: 'other', description: 'o', extends: 'user/m', defaults: {}, task: 'kinds/else' },
      ],
    });
    expect(registry.models.get('v/same').task).toBe('kinds/numbers');
    expect(registry.models.get('v/other').task).toBe('kinds/else');
    expect(() => registry.check()).toThrow(/names an unregistered task for its model 'v\/other': No task named 'kinds\/else'/);
  });
});
