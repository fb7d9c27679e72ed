import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_VERSION } from '@nnkit/core';
import { UsageError } from './usage-error.js';
import { versions } from './version.js';

/** The plugin package's template: files ending in `.tmpl`, with {{placeholders}}. */
const TEMPLATE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'templates', 'plugin');

/**
 * Tool versions the generated package develops with: those nnkit's own workspace uses (its pnpm catalog), so that
 * what nnkit tests is what a new plugin gets. test/new-plugin.test.ts checks they agree.
 */
export const TOOL_RANGES = { typescript: '~5.9.3', vitest: '~4.1.12', typesNode: '^20.19.0' } as const;

const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

export interface NewPluginOptions {
  /** The npm package name (`nnkit-plugin-mgu`, `@me/nnkit-plugin-mgu`). */
  readonly name: string;
  /** Where to write it (default: a folder named after the package, in the current one). */
  readonly dir?: string;
  /** The registry namespace (default: the name without its scope and an `nnkit-plugin-` prefix). */
  readonly namespace?: string;
  readonly cwd?: string;
}

/** The namespace a package name suggests: `@me/nnkit-plugin-mgu` → `mgu`. */
export function namespaceOf(name: string): string {
  return name
    .replace(/^@[^/]+\//, '')
    .replace(/^nnkit-plugin-/, '')
    .replace(/^nnkit-/, '');
}

/** Every template file, relative to the template folder. */
function templateFiles(dir = TEMPLATE_DIR): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? templateFiles(path) : [relative(TEMPLATE_DIR, path)];
  });
}

/** npm refuses a package name longer than this (and a folder named after a longer one nears the file name limit). */
export const MAX_PACKAGE_NAME = 214;

/** Refuses, with a UsageError, a name npm would not publish: checked before any folder is looked at. */
export function checkPackageName(name: string): void {
  if (name.length > MAX_PACKAGE_NAME) {
    throw new UsageError(
      `'nnkit new plugin' expects an npm package name of at most ${MAX_PACKAGE_NAME} characters, got ${name.length}. Choose a shorter name, such as nnkit-plugin-mgu.`,
    );
  }
  if (!PACKAGE_NAME.test(name)) {
    throw new UsageError(
      `'nnkit new plugin' expects an npm package name (lower-case letters, digits, '-', '.', '_'; optionally @scope/), got '${name}'. For example: nnkit new plugin nnkit-plugin-mgu`,
    );
  }
}

/**
 * Writes a plugin package that builds and passes its tests as written: a cell, a model over any registered cell, a
 * dataset, conformance tests, a tsconfig, and a package.json with the keyword `nnkit-plugin` and nnkit and tfjs as
 * peer dependencies in the ranges of the nnkit that writes it. Returns the folder and the files written.
 */
export function writePluginPackage(options: NewPluginOptions): { dir: string; files: string[] } {
  const { name } = options;
  checkPackageName(name);
  const namespace = options.namespace ?? namespaceOf(name);
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(namespace)) {
    throw new UsageError(
      `'nnkit new plugin' expects a namespace of lower-case letters, digits, '.', '_' or '-', got '${namespace}'. Give one with --namespace.`,
    );
  }
  const dir = resolve(options.cwd ?? process.cwd(), options.dir ?? name.replace(/^@[^/]+\//, ''));
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new UsageError(`'nnkit new plugin' expects an empty or new folder, got ${dir} with files in it. Choose another with --dir.`);
  }
  // The core that writes it, from its minor version on: the templates use what that core has (its dataset declares
  // an option schema, which a core before it would pass over unchecked and unfilled).
  const [major, minor] = CORE_VERSION.split('.');
  const values: Record<string, string> = {
    name,
    namespace,
    nnkitRange: `^${major}.${minor}.0`,
    tfjsRange: `^${versions()['@tensorflow/tfjs']}`,
    typescriptRange: TOOL_RANGES.typescript,
    vitestRange: TOOL_RANGES.vitest,
    typesNodeRange: TOOL_RANGES.typesNode,
  };
  const files: string[] = [];
  for (const template of templateFiles()) {
    const target = template.replace(/\.tmpl$/, '').replace(/^gitignore$/, '.gitignore'); // npm drops .gitignore from packages
    const text = readFileSync(join(TEMPLATE_DIR, template), 'utf8').replace(/\{\{(\w+)\}\}/g, (whole, key: string) => {
      if (!(key in values)) throw new Error(`template ${template} names an unknown placeholder ${whole}`);
      return values[key]!;
    });
    mkdirSync(dirname(join(dir, target)), { recursive: true });
    writeFileSync(join(dir, target), text);
    files.push(target);
  }
  return { dir, files: files.sort() };
}
