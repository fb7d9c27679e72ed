import { CONTRIBUTION_KINDS, UnknownNameError, closestNames, describeSchema } from '@nnkit/core';
import { defineCommand } from '../define-command.js';
import { table } from '../table.js';
import { UsageError } from '../usage-error.js';

/** Longer than any name a plugin registers (namespace/name). */
const MAX_NAME_LENGTH = 200;

export const infoCommand = defineCommand({
  usage: 'info <name>',
  summary: `one registered name (at most ${MAX_NAME_LENGTH} characters): description, config with defaults, presets`,
  async run({ positionals, kit, print }) {
    const key = positionals[0]!;
    // Registered names are short; a pasted page would cost a quadratic search for the closest ones.
    if (key.trim() === '' || key.length > MAX_NAME_LENGTH) {
      throw new UsageError(
        `info expects a registered name of 1 to ${MAX_NAME_LENGTH} characters, got ${key.trim() === '' ? 'an empty one' : `${key.length} characters`}. nnkit list shows them.`,
      );
    }
    const { registry } = await kit();
    const kind = CONTRIBUTION_KINDS.find((k) => registry[k].has(key));
    if (!kind) {
      const all = CONTRIBUTION_KINDS.flatMap((k) => registry[k].keys());
      throw new UnknownNameError('model, cell, encoder, dataset or recipe', key, closestNames(key, all), all);
    }
    const entry = registry[kind].entry(key);
    const value = entry.value as {
      description: string;
      reproduces?: string;
      config?: Parameters<typeof describeSchema>[0];
      options?: Parameters<typeof describeSchema>[0];
      presets?: Record<string, { description: string; config: Record<string, unknown> }>;
      training?: Record<string, unknown>;
    };
    const info = {
      name: key,
      kind: kind.slice(0, -1),
      plugin: entry.owner,
      description: value.description,
      ...(value.reproduces !== undefined && { reproduces: value.reproduces }),
      ...(value.config !== undefined && { config: describeSchema(value.config) }),
      ...(value.options !== undefined && { options: describeSchema(value.options) }),
      ...(value.presets !== undefined && { presets: value.presets }),
      ...(value.training !== undefined && { training: value.training }),
    };
    print(info, () => {
      const lines = [`${info.name}  (${info.kind} from ${info.plugin})`, `  ${info.description}`];
      if (info.reproduces) lines.push(`  reproduces: ${info.reproduces}`);
      if (info.config) lines.push('', 'config:', fieldTable('key', info.config, '(required)'));
      // A dataset's or an encoder's options: one without a default may be left out.
      if (info.options) lines.push('', 'options:', fieldTable('option', info.options, '(optional)'));
      if (info.presets) {
        lines.push('', 'presets:');
        for (const [name, preset] of Object.entries(info.presets)) {
          lines.push(`  ${name}: ${preset.description}`, `    ${JSON.stringify(preset.config)}`);
        }
      }
      if (info.training) {
        lines.push('', 'nnkit train uses:');
        for (const [name, setting] of Object.entries(info.training)) lines.push(`  ${name}: ${JSON.stringify(setting)}`);
      }
      return lines.join('\n');
    });
  },
});

/** A schema's fields as `nnkit info` prints them; `absent` stands in the default column of a field without one. */
function fieldTable(heading: string, fields: ReturnType<typeof describeSchema>, absent: string): string {
  return table([
    [`  ${heading}`, 'type', 'default', 'description'],
    ...fields.map((f) => [`  ${f.key}`, f.type, f.default === undefined ? absent : JSON.stringify(f.default), f.description]),
  ]);
}
