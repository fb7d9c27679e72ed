import semver from 'semver';
import { IncompatiblePluginError, PluginError } from './errors.js';
import type { NnkitPlugin, PluginMeta } from './plugin.js';
import { CORE_VERSION } from './version.js';

const NAMESPACE = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * Checks that `candidate` follows the plugin contract and admits this core's version. `origin` says where it
 * came from (a package name, a config file) so that the message points at the thing to fix.
 */
export function validatePlugin(candidate: unknown, origin: string): NnkitPlugin {
  const shape = 'a plugin object { meta: { name, version, namespace, nnkit }, models?, cells?, encoders?, datasets?, recipes? }';
  if (typeof candidate !== 'object' || candidate === null) {
    throw new PluginError(
      `${origin} expects ${shape}, got ${candidate === null ? 'null' : typeof candidate}. ` +
        `A plugin package exports a function that returns the plugin: call it (\`lstm()\`, not \`lstm\`).`,
    );
  }
  const meta = (candidate as { meta?: Record<string, unknown> }).meta;
  if (typeof meta !== 'object' || meta === null) {
    throw new PluginError(`${origin} expects ${shape}, got an object without 'meta'.`);
  }
  for (const key of ['name', 'version', 'namespace', 'nnkit'] as const) {
    if (typeof meta[key] !== 'string' || meta[key] === '') {
      throw new PluginError(`${origin} expects meta.${key} to be a non-empty string, got ${JSON.stringify(meta[key])}.`);
    }
  }
  const { name, namespace, nnkit } = meta as { name: string; namespace: string; nnkit: string };
  if (!NAMESPACE.test(namespace)) {
    throw new PluginError(
      `Plugin '${name}' expects meta.namespace of lower-case letters, digits, '.', '_' or '-', got '${namespace}'.`,
    );
  }
  if (semver.validRange(nnkit) === null) {
    throw new PluginError(`Plugin '${name}' expects meta.nnkit to be a semver range such as '^1.0.0', got '${nnkit}'.`);
  }
  const loads = (meta as { loads?: unknown }).loads;
  if (loads !== undefined && (typeof loads !== 'string' || semver.validRange(loads) === null)) {
    throw new PluginError(`Plugin '${name}' expects meta.loads to be a semver range of its own versions whose saved models it loads, such as '>=1.0.0 <3.0.0', got ${JSON.stringify(loads)}.`);
  }
  if (!semver.satisfies(CORE_VERSION, nnkit, { includePrerelease: true })) {
    throw new IncompatiblePluginError(name, nnkit, CORE_VERSION);
  }
  return candidate as NnkitPlugin;
}

/** Every plugin's `meta.dependencies` must be among the loaded plugins. */
export function checkDependencies(plugins: readonly NnkitPlugin[]): void {
  const loaded = new Set(plugins.map((p) => p.meta.name));
  for (const plugin of plugins) {
    for (const dependency of plugin.meta.dependencies ?? []) {
      if (!loaded.has(dependency)) {
        throw new PluginError(
          `Plugin '${plugin.meta.name}' expects plugin '${dependency}' to be loaded too, got only ${[...loaded].join(', ')}. ` +
            `Add ${dependency} to the kit's plugins.`,
        );
      }
    }
  }
}

/**
 * Whether a plugin can load a model saved by `savedVersion` of itself: within `meta.loads` where given, else within
 * its own major version (its own minor version while it is 0.x, as semver's caret does).
 */
export function pluginLoadsVersion(meta: PluginMeta, savedVersion: string): boolean {
  const range = meta.loads ?? `^${semver.major(meta.version)}.${semver.major(meta.version) === 0 ? semver.minor(meta.version) : 0}.0`;
  return semver.valid(savedVersion) !== null && semver.satisfies(savedVersion, range, { includePrerelease: true });
}
