import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BACKEND_NAMES, withoutReRegistrationWarnings } from '@nnkit/backends';
import {
  closestNames,
  ConfigError,
  NnkitError,
  parseJsonText,
  PluginError,
  validatePlugin,
  type LoadedPlugin,
  type NnkitPlugin,
} from '@nnkit/core';
import { describeThrown, sentence } from './plugin-calls.js';

/** A plugin named in a config file: a package name, `[name, options]`, `{ name, options }`, or (in JS) the plugin itself. */
export type PluginSpec = string | [string, Record<string, unknown>?] | { name: string; options?: Record<string, unknown> } | NnkitPlugin;

/** The contents of `nnkit.config.{js,mjs,json}`. */
export interface NnkitConfigFile {
  plugins?: PluginSpec[];
  backend?: string;
  seed?: number;
  config?: Record<string, unknown>;
  /** `false` turns off discovery of installed plugin packages, where the kit (or the `nnkit` command) would discover. */
  discover?: boolean;
}

const CONFIG_FILE_KEYS: readonly (keyof NnkitConfigFile)[] = ['plugins', 'backend', 'seed', 'config', 'discover'];

export const CONFIG_FILE_NAMES = ['nnkit.config.js', 'nnkit.config.mjs', 'nnkit.config.json'] as const;

/** Finds the config file in `cwd` (not above it: a config applies to the project it sits in). */
export function findConfigFile(cwd: string): string | undefined {
  return CONFIG_FILE_NAMES.map((name) => join(cwd, name)).find((path) => existsSync(path));
}

export async function readConfigFile(path: string): Promise<NnkitConfigFile> {
  // A folder named like the file would otherwise end in Node's "EISDIR: illegal operation on a directory".
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
    throw new ConfigError(`Config file ${path} expects a file, got a folder. Remove or rename the folder.`);
  let value: unknown;
  if (path.endsWith('.json')) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `Config file ${path} expects a readable file, got ${(error as NodeJS.ErrnoException).code === 'EACCES' ? 'one without read permission' : describeThrown(error)}.`,
      );
    }
    // parseJsonText drops the BOM editors on Windows start UTF-8 files with, and words syntax errors by line and column.
    value = parseJsonText(text, `Config file ${path}`);
  } else {
    try {
      value = ((await import(pathToFileURL(path).href)) as { default?: unknown }).default;
    } catch (error) {
      throw new ConfigError(`Config file ${path} expects valid JavaScript, got: ${(error as Error).message}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(
      `Config file ${path} expects an object ({ "plugins": [...] }${path.endsWith('.json') ? '' : ' as its default export'}), got ${value === undefined ? 'nothing' : jsonKind(value)}.`,
    );
  }
  for (const key of Object.keys(value)) {
    if ((CONFIG_FILE_KEYS as readonly string[]).includes(key)) continue;
    const close = closestNames(key, CONFIG_FILE_KEYS, 1);
    throw new ConfigError(
      `Config file ${path} expects keys among ${CONFIG_FILE_KEYS.join(', ')}, got unknown key '${key}'.${close.length > 0 ? ` Did you mean '${close[0]}'?` : ''}`,
      key,
    );
  }
  const config = value as NnkitConfigFile;
  if (config.plugins !== undefined && !Array.isArray(config.plugins)) {
    throw new ConfigError(
      `Config file ${path} expects 'plugins' to be an array of package names, got ${jsonKind(config.plugins)}.`,
      'plugins',
    );
  }
  const badEntry = (config.plugins ?? []).findIndex(
    (entry: unknown) =>
      entry === null || (typeof entry !== 'string' && typeof entry !== 'object') || (Array.isArray(entry) && typeof entry[0] !== 'string'),
  );
  if (badEntry >= 0) {
    throw new ConfigError(
      `Config file ${path} expects each entry of 'plugins' to be a package name, [name, options] or a plugin object, got ${jsonKind(config.plugins![badEntry])} (entry ${badEntry + 1}).`,
      'plugins',
    );
  }
  const backends = ['auto', ...BACKEND_NAMES];
  if (config.backend !== undefined && !backends.includes(config.backend as never)) {
    throw new ConfigError(
      `Config file ${path} expects 'backend' to be one of ${backends.join(', ')}, got ${JSON.stringify(config.backend)}.`,
      'backend',
    );
  }
  if (config.discover !== undefined && typeof config.discover !== 'boolean') {
    throw new ConfigError(
      `Config file ${path} expects 'discover' to be true or false, got ${JSON.stringify(config.discover)}.`,
      'discover',
    );
  }
  if (config.config !== undefined && (typeof config.config !== 'object' || config.config === null || Array.isArray(config.config))) {
    throw new ConfigError(
      `Config file ${path} expects 'config' to be an object of kit settings, got ${jsonKind(config.config)}.`,
      'config',
    );
  }
  // A number (or a numeric string, as NNKIT_SEED is) is checked by createKit with every other place a seed comes from;
  // null would read there as no seed at all.
  if (config.seed !== undefined && typeof config.seed !== 'number' && typeof config.seed !== 'string') {
    throw new ConfigError(`Config file ${path} expects 'seed' to be an integer from 0 to 2^32-1, got ${jsonKind(config.seed)}.`, 'seed');
  }
  return config;
}

/** What a JSON value is, as a message names it: null, an array, an object, or the value itself. */
function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : (JSON.stringify(value) ?? typeof value);
}

/** The package.json of `name` as Node would find it from `fromDir`: in node_modules here or above. */
function findPackageDir(name: string, fromDir: string): string | undefined {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

interface PackageJson {
  name?: string;
  main?: string;
  exports?: unknown;
  keywords?: string[];
}

function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** The ESM entry of a package: `exports['.']` under the import/node/default conditions, else `main`. */
function packageEntry(dir: string, pkg: PackageJson): string {
  const pick = (target: unknown): string | undefined => {
    if (typeof target === 'string') return target;
    if (typeof target !== 'object' || target === null) return undefined;
    const record = target as Record<string, unknown>;
    if ('.' in record) return pick(record['.']);
    for (const condition of ['import', 'node', 'default']) {
      const found = pick(record[condition]);
      if (found) return found;
    }
    return undefined;
  };
  return join(dir, pick(pkg.exports) ?? pkg.main ?? 'index.js');
}

/** An installed copy of @tensorflow/tfjs-core: its version and its real directory. */
export interface TfjsCoreCopy {
  readonly version: string;
  readonly dir: string;
}

/**
 * The real path of the package.json of `name` as an import from `dir` finds it (node_modules here or above;
 * not require's NODE_PATH, which ESM ignores and pnpm's bin scripts set); undefined when there is none.
 */
function resolvePackageJson(name: string, dir: string): string | undefined {
  const found = findPackageDir(name, dir);
  return found && realpathSync(join(found, 'package.json'));
}

/**
 * The @tensorflow/tfjs-core that code in `dir` loads: the one its `@tensorflow/tfjs` imports (pnpm links only
 * direct dependencies, so tfjs-core is often reachable only through tfjs), else one it can import directly.
 * Undefined where it can reach neither.
 */
export function resolveTfjsCore(dir: string): TfjsCoreCopy | undefined {
  const from = realpathSync(dir);
  const tfjs = resolvePackageJson('@tensorflow/tfjs', from);
  const core = (tfjs && resolvePackageJson('@tensorflow/tfjs-core', dirname(tfjs))) ?? resolvePackageJson('@tensorflow/tfjs-core', from);
  if (!core) return undefined;
  let version = 'unknown';
  try {
    version = String((JSON.parse(readFileSync(core, 'utf8')) as { version?: unknown }).version ?? version);
  } catch {
    // A package.json that does not parse still marks a copy; its version is what goes unknown.
  }
  return { version, dir: dirname(core) };
}

/** @nnkit/core's directory, from which its own tfjs-core (the copy nnkit's backends register kernels in) is resolved. */
const CORE_DIR = dirname(createRequire(import.meta.url).resolve('@nnkit/core'));

/**
 * One line when the plugin package in `pluginDir` would load another copy of @tensorflow/tfjs-core than
 * @nnkit/core (in `coreDir`) does; undefined when both load the same copy, or either none. tfjs keeps its kernel
 * registry on the global object, so a second copy's backends register every kernel again, with a warning each.
 */
export function tfjsCopyWarning(pluginName: string, pluginDir: string, coreDir: string = CORE_DIR): string | undefined {
  const ours = resolveTfjsCore(coreDir);
  const theirs = resolveTfjsCore(pluginDir);
  if (!ours || !theirs || ours.dir === theirs.dir) return undefined;
  return (
    `two copies of @tensorflow/tfjs-core are loaded: ${ours.version} at ${ours.dir} (used by @nnkit/core) and ` +
    `${theirs.version} at ${theirs.dir} (used by ${pluginName}). Make the plugin declare @tensorflow/tfjs as a ` +
    `peerDependency, or dedupe: pnpm dedupe / npm dedupe.`
  );
}

/**
 * Imports a plugin package found from `cwd` and calls its default export with `options`. A package that brings
 * its own copy of tfjs-core is imported without tfjs's hundreds of "already registered" warnings, and
 * `warning` says instead, in one line, why they would have appeared.
 */
export async function importPlugin(
  name: string,
  options: Record<string, unknown>,
  cwd: string,
): Promise<{ plugin: NnkitPlugin; dir: string; warning?: string }> {
  const dir = findPackageDir(name, cwd);
  if (!dir) {
    throw new PluginError(
      `Plugin package '${name}' expects to be installed where ${cwd} can find it, got nothing in node_modules. Install it: pnpm add ${name}`,
    );
  }
  let pkg: PackageJson;
  try {
    pkg = readPackageJson(dir);
  } catch (error) {
    throw new PluginError(`Plugin package '${name}' (${dir}) expects a package.json of valid JSON, got: ${describeThrown(error)}`, {
      cause: error,
    });
  }
  const entry = packageEntry(dir, pkg);
  if (!existsSync(entry)) {
    const named = pkg.exports !== undefined || pkg.main !== undefined;
    throw new PluginError(
      `Plugin package '${name}' (${dir}) expects its entry ${entry} to exist, got no such file. ` +
        (named
          ? 'Build the package, or fix exports/main in its package.json.'
          : "Its package.json names none in 'exports' or 'main': add one."),
    );
  }
  const warning = tfjsCopyWarning(name, dir);
  const load = () => import(pathToFileURL(entry).href) as Promise<{ default?: unknown }>;
  let module: { default?: unknown };
  try {
    module = await (warning ? withoutReRegistrationWarnings(load) : load());
  } catch (error) {
    throw new PluginError(`Plugin package '${name}' (${dir}) failed to load: ${describeThrown(error)}`, {
      cause: error,
    });
  }
  const factory = module.default;
  if (typeof factory !== 'function') {
    throw new PluginError(
      `Plugin package '${name}' expects a default export that is a function returning the plugin, got ${typeof factory}.`,
    );
  }
  let made: unknown;
  try {
    made = await factory(options);
  } catch (error) {
    if (error instanceof NnkitError) throw error;
    throw new PluginError(
      `Plugin package '${name}' failed in its factory (the default export, called with ${JSON.stringify(options)}): ${sentence(describeThrown(error))} ` +
        `This error comes from the plugin's own code: if it does not say what to change, report it to the plugin's authors.`,
      { cause: error },
    );
  }
  return { plugin: validatePlugin(made, `Plugin package '${name}'`), dir, ...(warning && { warning }) };
}

/** Turns one config-file entry into a loaded plugin. */
export async function loadPluginSpec(spec: PluginSpec, configPath: string): Promise<LoadedPlugin> {
  const cwd = dirname(configPath);
  if (typeof spec === 'string') return { ...(await importPlugin(spec, {}, cwd)), source: 'config', from: configPath };
  if (Array.isArray(spec) && typeof spec[0] === 'string') {
    return { ...(await importPlugin(spec[0], spec[1] ?? {}, cwd)), source: 'config', from: configPath };
  }
  if (typeof spec === 'object' && spec !== null && !('meta' in spec) && typeof (spec as { name?: unknown }).name === 'string') {
    const { name, options = {} } = spec as { name: string; options?: Record<string, unknown> };
    return { ...(await importPlugin(name, options, cwd)), source: 'config', from: configPath };
  }
  return { plugin: validatePlugin(spec, `A plugin in ${configPath}`), source: 'config', from: configPath };
}

/** An installed package that discovery found; `problem` says why it cannot be loaded, where that shows already. */
export interface DiscoveredPackage {
  readonly name: string;
  readonly dir: string;
  readonly problem?: string;
}

/** Named as plugin packages are: `nnkit-plugin-gru`, `@acme/nnkit-plugin-gru`. */
const PLUGIN_PACKAGE_NAME = /^(@[^/]+\/)?nnkit-plugin-/;

/**
 * The installed packages in `cwd`'s node_modules whose package.json has the keyword `nnkit-plugin`, by name. One
 * named like a plugin package whose package.json cannot be read comes back with its `problem`, to be reported
 * rather than skipped in silence.
 */
export function discoverPluginPackages(cwd: string): DiscoveredPackage[] {
  const root = join(resolve(cwd), 'node_modules');
  if (!existsSync(root)) return [];
  const found: DiscoveredPackage[] = [];
  const consider = (name: string) => {
    const dir = join(root, name);
    try {
      if (readPackageJson(dir).keywords?.includes('nnkit-plugin')) found.push({ name, dir });
    } catch (error) {
      // Not a package, or an unreadable one: only one named as a plugin is worth a word.
      if (PLUGIN_PACKAGE_NAME.test(name)) {
        found.push({ name, dir, problem: `its package.json cannot be read as JSON: ${describeThrown(error)}` });
      }
    }
  };
  for (const entry of readdirSync(root)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const scoped of readdirSync(join(root, entry))) consider(`${entry}/${scoped}`);
    } else {
      consider(entry);
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
