import { relative, resolve } from 'node:path';
import { checkOutputFolder } from '@nnkit/train';
import { defineCommand, option } from '../define-command.js';
import { checkPackageName, writePluginPackage } from '../new-plugin.js';
import { UsageError } from '../usage-error.js';

export const newCommand = defineCommand({
  usage: 'new plugin <package-name>',
  summary: 'write a new plugin package (a cell, a model, a dataset, conformance tests) that builds and passes its tests as written',
  options: {
    dir: option.path('folder to write it to (default: ./<package-name without scope>)'),
    namespace: option.text("the plugin's registry namespace (default: the name without 'nnkit-plugin-')"),
  },
  async run({ positionals, options, print }) {
    const [kind, name] = positionals as [string, string];
    if (kind !== 'plugin') throw new UsageError(`'nnkit new' expects 'plugin', got '${kind}'. Usage: nnkit new plugin <package-name>`);
    checkPackageName(name); // a name too long for npm is too long for a folder too: refused before the folder check
    // Before writing anything: the folder is one nnkit can create and write (not under /proc, where Node's recursive
    // mkdir never returns; not a file or under one; writable; room on its disk). writePluginPackage picks the same path.
    checkOutputFolder(resolve(options.dir ?? name.replace(/^@[^/]+\//, '')), { role: "The plugin's folder (--dir)" });
    const { dir, files } = writePluginPackage({
      name,
      ...(options.dir !== undefined && { dir: options.dir }),
      ...(options.namespace !== undefined && { namespace: options.namespace }),
    });
    const where = relative(process.cwd(), dir) || '.';
    print({ dir, files }, () =>
      [
        `wrote ${name} to ${dir}:`,
        ...files.map((f) => `  ${f}`),
        '',
        'next:',
        `  cd ${where}`,
        '  npm install     # nnkit, tfjs, typescript and vitest',
        '  npm test        # nnkit’s conformance suites for the cell, the model and the dataset',
        '  npm run build   # dist/, what `npm pack` and `npm publish` ship',
      ].join('\n'),
    );
  },
});
