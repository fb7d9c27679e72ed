import type { ContainerModule } from 'inversify';
import type { ConfigSchema } from './config-schema.js';
import type {
  CellDefinition,
  DatasetDefinition,
  EncoderDefinition,
  ModelDefinition,
  ModelVariantDefinition,
  RecipeDefinition,
} from './contributions.js';
import type { TaskDefinition } from './task-contract.js';

export interface PluginMeta {
  /** The package name, shown in logs and errors: `@nnkit/plugin-lstm`. */
  readonly name: string;
  readonly version: string;
  /** Prefix of every name this plugin registers: `lstm` gives `lstm/lm`. */
  readonly namespace: string;
  /** The range of @nnkit/core versions this plugin works with (semver): `^1.0.0`. */
  readonly nnkit: string;
  /** `meta.name`s of plugins that must be loaded too (for example the one whose cells this plugin uses). */
  readonly dependencies?: readonly string[];
  /**
   * The versions of this plugin whose saved models it can load (semver). Default: the same major version
   * (`^1.0.0` for 1.x). A model saved by a version outside the range is refused with both versions named.
   */
  readonly loads?: string;
}

/**
 * A plugin is a plain object, usually made by a function of one options object (as Rollup and Vite plugins are).
 * Authors need neither decorators nor inversify; an advanced plugin may hand core a `ContainerModule` that binds
 * one of the services in `TOKENS` (a progress reporter, a dataset cache) to replace nnkit's default.
 */
export interface NnkitPlugin {
  readonly meta: PluginMeta;
  // Models are stored with their config types erased; `defineModel` keeps them for the author.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly models?: readonly (ModelDefinition<any, any> | ModelVariantDefinition)[];
  readonly cells?: readonly CellDefinition[];
  readonly encoders?: readonly EncoderDefinition[];
  readonly datasets?: readonly DatasetDefinition[];
  readonly recipes?: readonly RecipeDefinition[];
  /** Kinds of data (`sequence-pairs`): how each is batched, fills a model's config and is scored. */
  // Tasks are stored with their data and model types erased, as models are.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly tasks?: readonly TaskDefinition<any, any>[];
  readonly module?: ContainerModule;
}

/** Identity, for types: `export default (o) => definePlugin({ meta: …, models: […] })`. */
export function definePlugin<P extends NnkitPlugin>(plugin: P): P {
  return plugin;
}

/** Identity, for types: infers the config type of `create()` from the schema. */
export function defineModel<S extends ConfigSchema, M>(model: ModelDefinition<S, M>): ModelDefinition<S, M> {
  return model;
}

/** A function that makes a plugin from its options: what a plugin package exports by default. */
export type PluginFactory = (options?: Record<string, unknown>) => NnkitPlugin | Promise<NnkitPlugin>;
