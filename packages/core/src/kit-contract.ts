import type { Container, ServiceIdentifier } from 'inversify';
import type { BackendChoice, BackendRequest } from '@nnkit/backends';
import type { CellOptions, EncoderOptions, ImageEncoder, RecipeDefinition, RecurrentCell } from './contributions.js';
import type { NnkitPlugin } from './plugin.js';
import type { Registry, ModelRequest, ResolvedModelConfig } from './registry.js';
import type { NnkitDatasets, NnkitModels } from './registry-types.js';
import type { Clock } from './services/clock.js';
import type { ProgressReporter } from './services/progress.js';
import type { RandomSource } from './services/random.js';
import type { RunObserver } from './services/run-observer.js';
import type { FileStorage } from './services/storage.js';

// The kit as plugins and applications see it. `createKit`, which makes one, lives in @nnkit/kit: contributions
// receive a Kit, so its shape is a contract, while loading plugins and binding services is a runtime.

export interface KitOptions {
  /** Plugins to load, already made: `[lenet5(), lstm({ … })]`. Nothing is loaded that is not asked for. */
  readonly plugins?: readonly (NnkitPlugin | Promise<NnkitPlugin>)[];
  /**
   * Also load what `nnkit.config.{js,mjs,json}` lists (plugins, backend, seed, config): `true` looks in `cwd`,
   * a string names the file. Default false.
   */
  readonly configFile?: boolean | string;
  /**
   * Also load installed packages whose package.json has the keyword `nnkit-plugin`. Default false; `"discover":
   * false` in the config file turns it off. A discovered package that fails to load is skipped and reported (one
   * line on the progress reporter, and in `kit.skipped`) rather than failing the kit: nobody asked for it by name.
   */
  readonly discover?: boolean;
  /** Where the config file and node_modules are looked for. Default `process.cwd()`. */
  readonly cwd?: string;
  /**
   * The services, each replacing a plugin module's binding and nnkit's default (docs/services.md). Default backend:
   * the config file's, else `NNKIT_BACKEND`, else a plugin's `TOKENS.BackendRequest`, else `auto`.
   */
  readonly backend?: BackendRequest;
  /** Seed from which every random stream derives. Default: the config file's, else `NNKIT_SEED`, else a plugin's, else 42. */
  readonly seed?: number;
  /** The progress display. Default: a bar on a terminal, plain lines elsewhere, on stderr. */
  readonly progress?: ProgressReporter;
  /** More observers of every run, added to the display and to those plugins bind. */
  readonly observers?: readonly RunObserver[];
  /** Where models and checkpoints are kept. Default: the file system. */
  readonly storage?: FileStorage;
  /** Default: the process's monotonic clock. */
  readonly clock?: Clock;
  /**
   * Kit-level settings (and the config file's `config`), read back as `kit.config`. Nothing in nnkit reads them: an
   * application's own settings may live here.
   */
  readonly config?: Readonly<Record<string, unknown>>;
}

/** Where a loaded plugin came from, as `nnkit plugins` shows it. */
export type PluginSource = 'explicit' | 'config' | 'discovered';

export interface LoadedPlugin {
  readonly plugin: NnkitPlugin;
  readonly source: PluginSource;
  /** The package directory or config file it came from, where there is one. */
  readonly from?: string;
  /** One line to show when loading it was worth a remark (it brings its own copy of tfjs-core). */
  readonly warning?: string;
}

/** A discovered package that was not loaded: its name, its directory and why. */
export interface SkippedPlugin {
  readonly name: string;
  readonly dir: string;
  readonly problem: string;
}

/** A model made by name: the model and the config it was made from (kept for saving). */
export interface ModelInstance<M = unknown> extends ResolvedModelConfig {
  /** The plugin that registered the model, and its version (saved with the model). */
  readonly owner: string;
  readonly ownerVersion: string;
  readonly model: M;
  /** The storage of the kit that made it: where `saveModel` keeps it unless told otherwise. */
  readonly storage?: FileStorage;
}

/** The loaded plugins, the registry and the services, behind one object. */
export interface Kit {
  readonly container: Container;
  readonly registry: Registry;
  readonly plugins: readonly LoadedPlugin[];
  /** Discovered packages that were not loaded, each with why. */
  readonly skipped: readonly SkippedPlugin[];
  readonly backend: BackendChoice;
  readonly random: RandomSource;
  /** Tells every run observer (the display, and those plugins and createKit added): give it to `train`. */
  readonly progress: ProgressReporter;
  readonly storage: FileStorage;
  readonly clock: Clock;
  /** `createKit({ config })` over the config file's `config`. */
  readonly config: Readonly<Record<string, unknown>>;
  get<T>(token: ServiceIdentifier<T>): T;
  /**
   * Makes a registered model from a preset and overrides, validated against its schema. A name a loaded plugin's
   * types declare (`NnkitModels`) gives its model type: `createModel('seq2seq/translator')` is a `Translator`.
   */
  createModel<K extends keyof NnkitModels>(key: K, request?: ModelRequest): Promise<ModelInstance<NnkitModels[K]>>;
  /** Any other name: the model's type as the caller states it (`createModel<TrainableModel>(key)`), else unknown. */
  createModel<M = unknown>(key: string, request?: ModelRequest): Promise<ModelInstance<M>>;
  /** Makes a registered recurrent cell (`lstm/lstm`, a third party's `gru/gru`). */
  createCell(key: string, options: CellOptions): RecurrentCell;
  /** Makes a registered image encoder (`lenet5/features`). */
  createEncoder(key: string, options?: EncoderOptions): Promise<ImageEncoder>;
  /**
   * Loads a registered dataset. A name a loaded plugin's types declare (`NnkitDatasets`) gives its data type:
   * `loadDataset('datasets/mnist')` is `SupervisedData`.
   */
  loadDataset<K extends keyof NnkitDatasets>(key: K, options?: Readonly<Record<string, unknown>>): Promise<NnkitDatasets[K]>;
  /** Any other name: the data's type as the caller states it (`loadDataset<SupervisedData>(key)`), else unknown. */
  loadDataset<D = unknown>(key: string, options?: Readonly<Record<string, unknown>>): Promise<D>;
  recipe(key: string): RecipeDefinition;
}
