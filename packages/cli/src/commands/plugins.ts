import { defineCommand } from '../define-command.js';
import { table } from '../table.js';

export const pluginsCommand = defineCommand({
  usage: 'plugins',
  summary: 'the loaded plugins, with versions and where each came from',
  async run({ kit, print }) {
    const { plugins } = await kit();
    const rows = plugins.map(({ plugin, source, from }) => ({
      name: plugin.meta.name,
      version: plugin.meta.version,
      namespace: plugin.meta.namespace,
      source,
      ...(from !== undefined && { from }),
    }));
    print(rows, () =>
      rows.length === 0
        ? 'No plugins are loaded.'
        : table([
            ['plugin', 'version', 'namespace', 'source', 'from'],
            ...rows.map((r) => [r.name, r.version, r.namespace, r.source, r.from ?? '']),
          ]),
    );
  },
});
