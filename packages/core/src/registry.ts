import { validateConfig, validateOptions, type ConfigOf, type ConfigSchema } from './config-schema.js';
import type {
  CellDefinition,
  Contribution,
  DatasetDefinition,
  EncoderDefinition,
  EncoderOptions,
  ModelDefinition,
  ModelVariantDefinition,
  RecipeDefinition,
} from './contributions.js';
import { ConfigError, DuplicateNameError, PluginError, UnknownNameError } from './errors.js';
import type { NnkitPlugin } from './plugin.js';
import type { TaskDefinition } from './task-contract.js';
import { closestNames } from './suggest.js';

const LOCAL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface RegistryEntry<T> {
  /** `namespace/name` */
  readonly key: string;
  /** `meta.name` of the plugin that registered it. */
  readonly owner: string;
  readonly value: T;
}

/** One kind of contribution (models, cells, …) filed under `namespace/name`. */
export class Catalog<T extends Contribution> {
  readonly #entries = new Map<string, RegistryEntry<T>>();

  /**
   * @param otherKind says which other kind a key is registered as, so that a name asked for as the wrong kind (a
   *   dataset given as a model) is named as what it is rather than as unknown.
   */
  constructor(
    readonly kind: string,
    private readonly otherKind: (key: string) => string | undefined = () => undefined,
  ) {}

  add(owner: string, namespace: string, value: T): void {
    if (typeof value?.name !== 'string' || !LOCAL_NAME.test(value.name)) {
      throw new PluginError(
        `Plugin '${owner}' registers a ${this.kind} whose name expects letters, digits, '.', '_' or '-' (no '/'), ` +
          `got ${JSON.stringify(value?.name)}. The registry adds the namespace itself ('${namespace}/<name>').`,
      );
    }
    const key = `${namespace}/${value.name}`;
    const existing = this.#entries.get(key);
    if (existing) throw new DuplicateNameError(this.kind, key, existing.owner, owner);
    this.#entries.set(key, { key, owner, value });
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** The entry under `key`; an unknown key throws an UnknownNameError that lists the closest names. */
  entry(key: string): RegistryEntry<T> {
    const found = this.#entries.get(key);
    if (found) return found;
    const keys = this.keys();
    throw new UnknownNameError(this.kind, key, closestNames(key, keys), keys, this.otherKind(key));
  }

  get(key: string): T {
    return this.entry(key).value;
  }

  keys(): string[] {
    return [...this.#entries.keys()].sort();
  }

  list(): RegistryEntry<T>[] {
    return this.keys().map((key) => this.#entries.get(key)!);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModel = ModelDefinition<any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTask = TaskDefinition<any, any>;

function isVariant(model: AnyModel | ModelVariantDefinition): model is ModelVariantDefinition {
  return typeof (model as ModelVariantDefinition).extends === 'string';
}

/**
 * The models: a variant (`lstm/lm` extends `rnn-lm/lm`) is resolved when it is asked for, so that plugins may be
 * loaded in any order; what comes back is an ordinary ModelDefinition, the base's with the variant's defaults.
 */
export class ModelCatalog extends Catalog<AnyModel | ModelVariantDefinition> {
  override entry(key: string): RegistryEntry<AnyModel> {
    return this.#resolve(key, []);
  }

  override get(key: string): AnyModel {
    return this.entry(key).value;
  }

  override list(): RegistryEntry<AnyModel>[] {
    return this.keys().map((key) => this.entry(key));
  }

  #resolve(key: string, seen: string[]): RegistryEntry<AnyModel> {
    const found = super.entry(key);
    const model = found.value;
    if (!isVariant(model)) return found as RegistryEntry<AnyModel>;
    if (seen.includes(key))
      throw new PluginError(
        `Model '${key}' extends itself through ${[...seen, key].join(' → ')}: a variant must end at a model with create().`,
      );
    let base: RegistryEntry<AnyModel>;
    try {
      base = this.#resolve(model.extends, [...seen, key]);
    } catch (error) {
      if (!(error instanceof UnknownNameError)) throw error;
      throw new PluginError(
        `Model '${key}' (plugin '${found.owner}') expects the model '${model.extends}' it extends to be registered, got none. Load the plugin that provides it.`,
        { cause: error },
      );
    }
    const config = { ...base.value.config };
    for (const [name, value] of Object.entries(model.defaults)) {
      const field = config[name];
      if (!field)
        throw new PluginError(
          `Model '${key}' expects its defaults to be keys of '${model.extends}''s config (${Object.keys(config).join(', ')}), got '${name}'.`,
        );
      const expected = field.check(value);
      if (expected !== undefined)
        throw new PluginError(
          `Model '${key}' sets the default of '${name}' to ${JSON.stringify(value)}, but '${model.extends}' expects ${expected}.`,
        );
      config[name] = { ...field, default: value };
    }
    const training = model.training ?? base.value.training;
    const task = model.task ?? base.value.task;
    const value: AnyModel = {
      ...base.value,
      name: model.name,
      description: model.description,
      config,
      ...(training && { training }),
      ...(task !== undefined && { task }),
    };
    return { key, owner: found.owner, value };
  }
}

export const CONTRIBUTION_KINDS = ['models', 'cells', 'encoders', 'datasets', 'recipes', 'tasks'] as const;
export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number];

/** A model config after presets and overrides: what `create()` receives. */
export interface ResolvedModelConfig<S extends ConfigSchema = ConfigSchema> {
  readonly key: string;
  readonly preset?: string;
  readonly config: ConfigOf<S>;
}

export interface ModelRequest {
  /** A named preset of the model; its values come before `config`'s. */
  readonly preset?: string;
  /** Overrides, checked against the model's schema. */
  readonly config?: Readonly<Record<string, unknown>>;
}

/** Everything the loaded plugins registered, by kind. Plugins meet here rather than through imports. */
export class Registry {
  readonly models = new ModelCatalog('model', (key) => this.kindOf(key));
  readonly cells = new Catalog<CellDefinition>('cell', (key) => this.kindOf(key));
  readonly encoders = new Catalog<EncoderDefinition>('encoder', (key) => this.kindOf(key));
  readonly datasets = new Catalog<DatasetDefinition>('dataset', (key) => this.kindOf(key));
  readonly recipes = new Catalog<RecipeDefinition>('recipe', (key) => this.kindOf(key));
  readonly tasks = new Catalog<AnyTask>('task', (key) => this.kindOf(key));

  /** The kind `key` is registered as ('model', 'dataset', …); undefined when it is none. Namespaces keep kinds apart. */
  kindOf(key: string): string | undefined {
    return CONTRIBUTION_KINDS.map((kind) => this[kind] as Catalog<Contribution>).find((catalog) => catalog.has(key))?.kind;
  }

  /** Files every contribution of `plugin` under its namespace. */
  register(plugin: NnkitPlugin): void {
    const { name, namespace } = plugin.meta;
    for (const kind of CONTRIBUTION_KINDS) {
      const contributions: unknown = plugin[kind] ?? [];
      if (!Array.isArray(contributions)) {
        throw new PluginError(`Plugin '${name}' expects '${kind}' to be an array, got ${typeof contributions}.`);
      }
      for (const contribution of contributions) {
        (this[kind] as Catalog<Contribution>).add(name, namespace, contribution as Contribution);
      }
    }
  }

  /**
   * Refuses, once every plugin is registered, what would fail only when used: a model variant whose base is not
   * registered, and a task named by a model or a dataset that the plugin of its namespace does not register (a typo:
   * the refusal suggests the closest). A task whose namespace no loaded plugin has is let through: a kit made with
   * only `lenet5()` still works, and `nnkit train` names the missing plugin when it needs the task.
   */
  check(): void {
    for (const key of this.models.keys()) this.models.entry(key);
    const namespaces = new Set(this.tasks.keys().map((key) => key.slice(0, key.indexOf('/'))));
    const named = [
      ...this.models.list().map(({ key, owner, value }) => ({ what: `model '${key}'`, owner, task: value.task })),
      ...this.datasets.list().map(({ key, owner, value }) => ({ what: `dataset '${key}'`, owner, task: value.task })),
    ];
    for (const { what, owner, task } of named) {
      if (task === undefined) continue;
      if (typeof task !== 'string' || !task.includes('/')) {
        throw new PluginError(
          `Plugin '${owner}' expects the task of its ${what} to be a registered task's key ('tasks/sequence-pairs'), got ${JSON.stringify(task)}.`,
        );
      }
      if (this.tasks.has(task) || !namespaces.has(task.slice(0, task.indexOf('/')))) continue;
      try {
        this.tasks.get(task);
      } catch (error) {
        throw new PluginError(`Plugin '${owner}' names an unregistered task for its ${what}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
  }

  /** Validates a model config: the preset's values, then the overrides, then the schema's defaults. */
  resolveModelConfig(key: string, request: ModelRequest = {}): ResolvedModelConfig {
    const model = this.models.get(key);
    let presetValues: Readonly<Record<string, unknown>> = {};
    if (request.preset !== undefined) {
      const presets = model.presets ?? {};
      const preset = presets[request.preset];
      if (!preset) {
        const names = Object.keys(presets);
        throw new UnknownNameError(
          `preset of '${key}'`,
          request.preset,
          closestNames(request.preset, names),
          names,
          undefined,
          `Pick one of those, or leave the preset out for the model's defaults (nnkit info ${key} shows them).`,
        );
      }
      presetValues = preset.config;
    }
    if (request.config !== undefined && (typeof request.config !== 'object' || request.config === null)) {
      throw new ConfigError(`Config for model '${key}' expects an object, got ${typeof request.config}.`);
    }
    const config = validateConfig(model.config, { ...presetValues, ...request.config }, `model '${key}'`);
    return { key, ...(request.preset !== undefined && { preset: request.preset }), config };
  }

  /** A dataset's options checked against its `options` schema, defaults filled; as given where it declares none. */
  resolveDatasetOptions(key: string, options: Readonly<Record<string, unknown>> = {}): Readonly<Record<string, unknown>> {
    const schema = this.datasets.get(key).options;
    return schema === undefined ? options : validateOptions(schema, options, `dataset ${key}`);
  }

  /**
   * An encoder's options checked against its `options` schema, defaults filled; the contract's own `seed`, `name` and
   * `inputShape` pass as they are (every encoder takes them). As given where it declares no schema.
   */
  resolveEncoderOptions(key: string, options: EncoderOptions = {}): EncoderOptions {
    const schema = this.encoders.get(key).options;
    if (schema === undefined) return options;
    const { seed, name, inputShape, ...own } = options;
    return {
      ...validateOptions(schema, own, `encoder ${key}`),
      ...(seed !== undefined && { seed }),
      ...(name !== undefined && { name }),
      ...(inputShape !== undefined && { inputShape }),
    };
  }
}
