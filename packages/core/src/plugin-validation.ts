import semver from 'semver';
import type { ConfigSchema, Field } from './config-schema.js';
import { IncompatiblePluginError, PluginError } from './errors.js';
import type { NnkitPlugin, PluginMeta } from './plugin.js';
import { CONTRIBUTION_KINDS, Registry, type ContributionKind } from './registry.js';
import { closestNames } from './suggest.js';
import { CORE_VERSION } from './version.js';

const NAMESPACE = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * Checks that `candidate` follows the plugin contract and admits this core's version. `origin` says where it
 * came from (a package name, a config file) so that the message points at the thing to fix.
 */
export function validatePlugin(candidate: unknown, origin: string): NnkitPlugin {
  const shape = 'a plugin object { meta: { name, version, namespace, nnkit }, models?, cells?, encoders?, datasets?, recipes?, tasks? }';
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
    throw new PluginError(`Plugin '${name}' expects meta.namespace of lower-case letters, digits, '.', '_' or '-', got '${namespace}'.`);
  }
  if (semver.validRange(nnkit) === null) {
    throw new PluginError(
      `Plugin '${name}' expects meta.nnkit to be a semver range such as '^${semver.major(CORE_VERSION)}.0.0', got '${nnkit}'.`,
    );
  }
  const loads = (meta as { loads?: unknown }).loads;
  if (loads !== undefined && (typeof loads !== 'string' || semver.validRange(loads) === null)) {
    throw new PluginError(
      `Plugin '${name}' expects meta.loads to be a semver range of its own versions whose saved models it loads, such as '>=1.0.0 <3.0.0', got ${JSON.stringify(loads)}.`,
    );
  }
  if (!semver.satisfies(CORE_VERSION, nnkit, { includePrerelease: true })) {
    throw new IncompatiblePluginError(name, nnkit, CORE_VERSION, writtenFor1x(nnkit) ? refusalOf1xPlugin(name, nnkit) : undefined);
  }
  checkContributions(candidate as NnkitPlugin);
  return candidate as NnkitPlugin;
}

/** Whether a plugin's `meta.nnkit` range was written for nnkit 1.x while this core is 2.x: its contracts changed. */
function writtenFor1x(range: string): boolean {
  return semver.major(CORE_VERSION) === 2 && semver.minVersion(range)?.major === 1;
}

/** The refusal of a 1.x plugin says what to do about it: port it (the guide) or install its 2.x release. */
function refusalOf1xPlugin(name: string, range: string): string {
  return (
    `Plugin '${name}' expects @nnkit/core ${range}, got ${CORE_VERSION}: it was written for nnkit 1.x, and 2.x changed ` +
    `the contracts it implements (a model's loss takes a batch and returns { sum, weight }, weights are named, cells ` +
    `declare stateSizes). Install a release of the plugin for @nnkit/core ^2.0.0, or port it as "Moving a plugin from ` +
    `nnkit 1.x to 2.x" says (docs/migrating-1-to-2.md in nnkit's repository). Forcing the install ` +
    `(--force, --legacy-peer-deps) does not make it work.`
  );
}

/** The function each kind of contribution must have, with the form it is called in. */
const ENTRY_POINTS: Record<ContributionKind, string> = {
  models: 'create(config, context)',
  cells: 'create(options)',
  encoders: 'create(options, context)',
  datasets: 'load(options, context)',
  recipes: 'run(options, context)',
  tasks: 'trainingData(data, options)',
};

/** What a task must have besides `trainingData`: the calls every trainer and evaluator makes on it. */
const TASK_METHODS = ['accepts(data)', 'fits(model)', 'configFrom(data, schema)', 'evaluate(model, data, split, context)', 'splits(data)'];

/**
 * Refuses a malformed contribution when the plugin is loaded, naming the plugin and the contribution, rather than
 * with a TypeError when someone first uses it: each has its entry point (a model its `create`, a dataset its
 * `load`), a model's config maps keys to `field.*` definitions, and its presets set only keys of that config.
 */
function checkContributions(plugin: NnkitPlugin): void {
  const { name: owner, namespace } = plugin.meta;
  // Filing every contribution in an empty registry refuses what is not an array, bad names and duplicates.
  new Registry().register(plugin);
  for (const kind of CONTRIBUTION_KINDS) {
    for (const contribution of (plugin[kind] ?? []) as unknown as Record<string, unknown>[]) {
      const what = `${kind.slice(0, -1)} '${namespace}/${String(contribution.name)}'`;
      if (kind === 'models' && typeof contribution.extends === 'string') {
        if (typeof contribution.defaults !== 'object' || contribution.defaults === null) {
          throw new PluginError(
            `Plugin '${owner}' expects the ${what}, a variant of '${contribution.extends}', to have defaults: an object of config values, got ${typeof contribution.defaults}.`,
          );
        }
        continue;
      }
      const entryPoint = ENTRY_POINTS[kind];
      const method = entryPoint.slice(0, entryPoint.indexOf('('));
      if (typeof contribution[method] !== 'function') {
        throw new PluginError(
          `Plugin '${owner}' expects its ${what} to have ${entryPoint} as a function, got ${typeof contribution[method]}.` +
            (kind === 'models'
              ? ` A model without create() must name the model it is a variant of: { extends: 'namespace/name', defaults }.`
              : ''),
        );
      }
      if (kind === 'models') checkModelSchema(owner, what, contribution);
      if (kind === 'tasks') checkTask(owner, what, contribution);
      if ((kind === 'models' || kind === 'datasets') && contribution.task !== undefined && typeof contribution.task !== 'string') {
        throw new PluginError(
          `Plugin '${owner}' expects the task of its ${what} to be a registered task's key ('tasks/sequence-pairs'), got ${JSON.stringify(contribution.task)}.`,
        );
      }
    }
  }
}

/** A task has every call trainers and evaluators make on it, and says what data it holds. */
function checkTask(owner: string, what: string, task: Record<string, unknown>): void {
  for (const call of TASK_METHODS) {
    const method = call.slice(0, call.indexOf('('));
    if (typeof task[method] !== 'function')
      throw new PluginError(`Plugin '${owner}' expects its ${what} to have ${call} as a function, got ${typeof task[method]}.`);
  }
  if (typeof task.holds !== 'string' || task.holds === '') {
    throw new PluginError(
      `Plugin '${owner}' expects its ${what} to say what data it holds in a few words (holds: 'sequence pairs (sources and their targets)'), got ${JSON.stringify(task.holds)}.`,
    );
  }
}

/** A model's config schema is made of `field.*` definitions whose defaults pass them, and its presets fit it. */
function checkModelSchema(owner: string, what: string, model: Record<string, unknown>): void {
  const schema = model.config;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new PluginError(
      `Plugin '${owner}' expects its ${what} to have a config schema, an object of field.* definitions, got ${Array.isArray(schema) ? 'an array' : typeof schema}.`,
    );
  }
  for (const [key, spec] of Object.entries(schema as Record<string, Partial<Field<unknown>> | null>)) {
    const isField = typeof spec === 'object' && spec !== null && typeof spec.check === 'function' && typeof spec.type === 'string';
    if (!isField) {
      throw new PluginError(
        `Plugin '${owner}' expects config key '${key}' of its ${what} to be a field.* definition, got ${JSON.stringify(spec) ?? typeof spec}. ` +
          `Write it as field.integer({ default: …, description: '…' }) (or field.number, field.string, field.boolean, field.oneOf, field.integerList).`,
      );
    }
    const expected = spec.default === undefined ? undefined : spec.check!(spec.default);
    if (expected !== undefined) {
      throw new PluginError(
        `Plugin '${owner}' sets the default of config key '${key}' of its ${what} to ${JSON.stringify(spec.default)}, but the field expects ${expected}.`,
      );
    }
  }
  const presets = model.presets ?? {};
  if (typeof presets !== 'object' || presets === null) {
    throw new PluginError(
      `Plugin '${owner}' expects the presets of its ${what} to be an object of { description, config }, got ${typeof presets}.`,
    );
  }
  const fields = schema as ConfigSchema;
  const keys = Object.keys(fields);
  for (const [presetName, preset] of Object.entries(presets)) {
    const values: unknown = (preset as { config?: unknown } | null)?.config;
    if (typeof values !== 'object' || values === null) {
      throw new PluginError(
        `Plugin '${owner}' expects preset '${presetName}' of its ${what} to be { description, config: { … } }, got ${JSON.stringify(preset)}.`,
      );
    }
    for (const [key, value] of Object.entries(values)) {
      const field = fields[key];
      if (!field) {
        const close = closestNames(key, keys, 1);
        throw new PluginError(
          `Plugin '${owner}' expects preset '${presetName}' of its ${what} to set keys of its config (${keys.join(', ') || 'none'}), got '${key}'.` +
            (close.length > 0 ? ` Did you mean '${close[0]}'?` : ''),
        );
      }
      const expected = field.check(value);
      if (expected !== undefined) {
        throw new PluginError(
          `Plugin '${owner}' sets '${key}' in preset '${presetName}' of its ${what} to ${JSON.stringify(value)}, but the config expects ${expected}.`,
        );
      }
    }
  }
}

/** Every plugin's `meta.dependencies` must be among the loaded plugins. */
export function checkDependencies(plugins: readonly NnkitPlugin[]): void {
  const loaded = new Set(plugins.map((p) => p.meta.name));
  for (const plugin of plugins) {
    // All that is missing at once: a recipe collection needs eight plugins, and one refusal per run would take eight.
    const missing = (plugin.meta.dependencies ?? []).filter((dependency) => !loaded.has(dependency));
    if (missing.length === 0) continue;
    const them = missing.length === 1 ? `plugin '${missing[0]}'` : `plugins ${missing.map((m) => `'${m}'`).join(', ')}`;
    throw new PluginError(
      `Plugin '${plugin.meta.name}' expects ${them} to be loaded too, got only ${[...loaded].join(', ')}. ` +
        `Add ${missing.join(', ')} to the kit's plugins.`,
    );
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
