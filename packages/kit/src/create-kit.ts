import { Container, ContainerModule, type ServiceIdentifier } from 'inversify';
import type { BackendRequest } from '@nnkit/backends';
import {
  checkDependencies,
  ConfigError,
  DuplicateNameError,
  NnkitError,
  PluginError,
  Registry,
  seededRandom,
  TOKENS,
  validatePlugin,
  type Kit,
  type KitOptions,
  type LoadedPlugin,
  type ModelRequest,
  type ModelVariantDefinition,
  type NnkitPlugin,
  type RunObserver,
  type SkippedPlugin,
} from '@nnkit/core';
import { callPlugin, describeThrown, sentence } from './plugin-calls.js';
import {
  discoverPluginPackages,
  findConfigFile,
  importPlugin,
  loadPluginSpec,
  readConfigFile,
  type NnkitConfigFile,
} from './plugin-loading.js';
import { defaultServices } from './services/defaults.js';
import { notifyObservers, progressObserver } from './services/observers.js';

function parseSeed(value: unknown, origin: string): number {
  const seed = typeof value === 'string' ? Number(value) : value;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ConfigError(`${origin} expects a seed that is an integer from 0 to 2^32-1, got ${JSON.stringify(value)}.`, 'seed');
  }
  return seed;
}

/** The one line that reports a skipped package. */
function skippedLine({ name, dir, problem }: SkippedPlugin): string {
  return (
    `Skipped the discovered plugin package ${name} (${dir}): ${sentence(problem)} The other plugins are loaded. ` +
    `Fix or uninstall it, or turn discovery off (nnkit --no-discover, or "discover": false in nnkit.config.json).`
  );
}

/**
 * Loads every plugin the options ask for, each once (a package loaded explicitly is not discovered again). Those
 * asked for by name (explicit, config file) must load; a discovered one that does not is skipped, with why.
 */
async function collectPlugins(options: KitOptions, cwd: string, file: NnkitConfigFile | undefined, filePath: string | undefined) {
  const loaded: LoadedPlugin[] = [];
  for (const [index, candidate] of (options.plugins ?? []).entries()) {
    let plugin: unknown;
    try {
      plugin = await candidate;
    } catch (error) {
      if (error instanceof NnkitError) throw error;
      throw new PluginError(`createKit's plugins[${index}] failed in its factory: ${describeThrown(error)}`, {
        cause: error,
      });
    }
    loaded.push({ plugin: validatePlugin(plugin, `createKit's plugins[${index}]`), source: 'explicit' });
  }
  for (const spec of file?.plugins ?? []) loaded.push(await loadPluginSpec(spec, filePath!));
  const skipped = options.discover && file?.discover !== false ? await addDiscovered(loaded, cwd) : [];
  return { loaded, skipped };
}

/**
 * Adds the installed plugin packages in `cwd` to `loaded`, but for those skipped (returned, each with why): one
 * that fails to load, takes a name another plugin has, or needs a plugin or a model that is not loaded.
 */
async function addDiscovered(loaded: LoadedPlugin[], cwd: string): Promise<SkippedPlugin[]> {
  const skipped: SkippedPlugin[] = [];
  const names = new Set(loaded.map((l) => l.plugin.meta.name));
  for (const { name, dir, problem } of discoverPluginPackages(cwd)) {
    if (names.has(name)) continue;
    if (problem !== undefined) {
      skipped.push({ name, dir, problem });
      continue;
    }
    try {
      const { plugin, warning } = await importPlugin(name, {}, cwd);
      if (names.has(plugin.meta.name)) continue;
      const clash = nameClash(loaded, plugin);
      if (clash) throw clash;
      names.add(plugin.meta.name);
      loaded.push({ plugin, source: 'discovered', from: dir, ...(warning && { warning }) });
    } catch (error) {
      skipped.push({ name, dir, problem: describeThrown(error) });
    }
  }
  // Skipping one may strand another that needs it: look again until none is left.
  for (let stranded; (stranded = loaded.find((l) => l.source === 'discovered' && unmetNeed(l.plugin, loaded)));) {
    loaded.splice(loaded.indexOf(stranded), 1);
    skipped.push({
      name: stranded.plugin.meta.name,
      dir: stranded.from!,
      problem: unmetNeed(stranded.plugin, [...loaded, stranded])!,
    });
  }
  return skipped;
}

/** What `plugin` needs that `loaded` lacks: a plugin it depends on, a model one of its variants extends. */
function unmetNeed(plugin: NnkitPlugin, loaded: readonly LoadedPlugin[]): string | undefined {
  const missing = (plugin.meta.dependencies ?? []).filter((name) => !loaded.some((l) => l.plugin.meta.name === name));
  if (missing.length > 0) return `it expects plugin ${missing.map((m) => `'${m}'`).join(', ')} to be loaded too, got none`;
  const models = new Set(loaded.flatMap(({ plugin: p }) => (p.models ?? []).map((m) => `${p.meta.namespace}/${m.name}`)));
  const orphan = (plugin.models ?? []).find((m): m is ModelVariantDefinition => 'extends' in m && !models.has(m.extends));
  return (
    orphan &&
    `its model '${plugin.meta.namespace}/${orphan.name}' expects the model '${orphan.extends}' it extends to be registered, got none. Load the plugin that provides it`
  );
}

/**
 * The error that registering `plugin` after `loaded` gives where it takes a name one of them has: a discovered
 * plugin that would take a name is skipped, so the plugins asked for by name (and those discovered first) keep theirs.
 */
function nameClash(loaded: readonly LoadedPlugin[], plugin: NnkitPlugin): DuplicateNameError | undefined {
  const registry = new Registry();
  try {
    for (const { plugin: other } of loaded) registry.register(other);
  } catch {
    return undefined; // a clash among those: the kit's own registry reports it
  }
  try {
    registry.register(plugin);
  } catch (error) {
    if (error instanceof DuplicateNameError) return error;
    throw error;
  }
  return undefined;
}

/** Each plugin becomes a ContainerModule that contributes it under TOKENS.Plugin (plus its own module, if any). */
function pluginModule(plugin: NnkitPlugin): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Plugin).toConstantValue(plugin);
  });
}

type Services = { [K in keyof typeof TOKENS]?: unknown };

/**
 * Binds the services by precedence: what the caller passed to `createKit` replaces a plugin module's binding, which
 * replaces nnkit's default (bound last, where nothing else is). Run observers are many: createKit's are added.
 */
function bindServices(container: Container, explicit: Services, observers: readonly RunObserver[]) {
  for (const [name, value] of Object.entries(explicit)) {
    if (value === undefined) continue;
    const token = TOKENS[name as keyof typeof TOKENS] as ServiceIdentifier<unknown>;
    (container.isBound(token) ? container.rebind(token) : container.bind(token)).toConstantValue(value);
  }
  for (const observer of observers) container.bind(TOKENS.RunObserver).toConstantValue(observer);
  container.load(defaultServices());
}

/**
 * Creates a kit: loads the plugins (explicit, from the config file, discovered), checks them, fills the
 * registry, chooses the backend and binds the services.
 *
 * ```ts
 * const kit = await createKit({ plugins: [lenet5()], backend: 'wasm' });
 * const { model } = await kit.createModel('lenet5/lenet5', { preset: 'modern' });
 * ```
 */
export async function createKit(options: KitOptions = {}): Promise<Kit> {
  const cwd = options.cwd ?? process.cwd();
  const filePath = typeof options.configFile === 'string' ? options.configFile : options.configFile ? findConfigFile(cwd) : undefined;
  const file = filePath ? await readConfigFile(filePath) : undefined;

  const { loaded, skipped } = await collectPlugins(options, cwd, file, filePath);
  const plugins = loaded.map((l) => l.plugin);
  checkDependencies(plugins);

  const container = new Container();
  container.load(...plugins.map(pluginModule));
  for (const plugin of plugins) {
    if (plugin.module) {
      try {
        container.load(plugin.module);
      } catch (error) {
        throw new PluginError(`Plugin '${plugin.meta.name}' failed to load its container module: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
  }

  const backendRequest = (options.backend ?? file?.backend ?? process.env.NNKIT_BACKEND) as BackendRequest | undefined;
  const seedValue = options.seed ?? file?.seed ?? process.env.NNKIT_SEED;
  const seedOrigin = options.seed !== undefined ? 'createKit' : file?.seed !== undefined ? `Config file ${filePath}` : 'NNKIT_SEED';
  const seed = seedValue === undefined ? undefined : parseSeed(seedValue, seedOrigin);

  bindServices(
    container,
    {
      BackendRequest: backendRequest,
      Random: seed === undefined ? undefined : seededRandom(seed),
      ProgressReporter: options.progress,
      Storage: options.storage,
      Clock: options.clock,
    },
    options.observers ?? [],
  );
  container
    .bind(TOKENS.Registry)
    .toResolvedValue(
      (all: NnkitPlugin[] | undefined) => {
        const registry = new Registry();
        for (const plugin of all ?? []) registry.register(plugin);
        return registry;
      },
      [{ serviceIdentifier: TOKENS.Plugin, isMultiple: true, optional: true }],
    )
    .inSingletonScope();

  const registry = resolveService(container, TOKENS.Registry);
  // Every model variant resolves now, and every task a model or dataset names is registered, so that a mistake is
  // refused at load time, naming its plugin, rather than when it is first used (or when `nnkit list` walks them).
  registry.check();
  const backend = await resolveService(container, TOKENS.BackendResolver)(resolveService(container, TOKENS.BackendRequest));
  container.bind(TOKENS.Backend).toConstantValue(backend);
  const clock = resolveService(container, TOKENS.Clock);
  const observers = container.isBound(TOKENS.RunObserver) ? container.getAll(TOKENS.RunObserver) : [];

  const kit: Kit = {
    container,
    registry,
    plugins: loaded,
    skipped,
    backend,
    random: resolveService(container, TOKENS.Random),
    progress: notifyObservers([progressObserver(resolveService(container, TOKENS.ProgressReporter)), ...observers], clock),
    storage: resolveService(container, TOKENS.Storage),
    clock,
    config: { ...file?.config, ...options.config },
    get: (token) => resolveService(container, token),
    async createModel<M>(key: string, request?: ModelRequest) {
      const resolved = registry.resolveModelConfig(key, request);
      const entry = registry.models.entry(key);
      const model = (await callPlugin(`Model '${key}'`, entry, 'create()', () => entry.value.create(resolved.config, { kit, key }))) as M;
      const ownerVersion = loaded.find((l) => l.plugin.meta.name === entry.owner)?.plugin.meta.version ?? '0.0.0';
      return { ...resolved, owner: entry.owner, ownerVersion, model, storage: kit.storage };
    },
    createCell(key, cellOptions) {
      const entry = registry.cells.entry(key);
      return callPlugin(`Cell '${key}'`, entry, 'create()', () => entry.value.create(cellOptions));
    },
    async createEncoder(key, encoderOptions = {}) {
      const entry = registry.encoders.entry(key);
      const options = registry.resolveEncoderOptions(key, encoderOptions);
      return callPlugin(`Encoder '${key}'`, entry, 'create()', () => entry.value.create(options, { kit }));
    },
    async loadDataset<D>(key: string, datasetOptions = {}) {
      const entry = registry.datasets.entry(key);
      const options = registry.resolveDatasetOptions(key, datasetOptions);
      return (await callPlugin(`Dataset '${key}'`, entry, 'load()', () => entry.value.load(options, { kit }))) as D;
    },
    recipe: (key) => registry.recipes.get(key),
  };
  for (const { warning } of loaded) if (warning) kit.progress.log(warning);
  for (const package_ of skipped) kit.progress.log(skippedLine(package_));
  return kit;
}

/** container.get, with inversify's errors (a service bound twice by two plugin modules) made nnkit errors. */
function resolveService<T>(container: Container, token: ServiceIdentifier<T>): T {
  try {
    return container.get(token);
  } catch (error) {
    if (error instanceof Error && 'code' in error && String((error as { code: unknown }).code).startsWith('NNKIT')) throw error;
    throw new PluginError(
      `Service ${String(token)} expects exactly one binding, got an error resolving it: ${(error as Error).message} ` +
        `Two plugins may both replace it: load only one of them.`,
      { cause: error },
    );
  }
}
