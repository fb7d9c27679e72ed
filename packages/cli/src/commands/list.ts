import { CONTRIBUTION_KINDS, type ContributionKind } from '@nnkit/core';
import type { Command } from '../command.js';
import { didYouMean } from '../did-you-mean.js';
import { table } from '../table.js';
import { UsageError } from '../usage-error.js';

export const listCommand: Command = {
  name: 'list',
  usage: `list [${CONTRIBUTION_KINDS.join('|')}]`,
  summary: 'what the loaded plugins registered, by kind',
  positionals: { min: 0, max: 1 },
  async run({ positionals, kit, print }) {
    const wanted = positionals[0];
    if (wanted !== undefined && !CONTRIBUTION_KINDS.includes(wanted as ContributionKind)) {
      throw new UsageError(
        `list expects one of ${CONTRIBUTION_KINDS.join(', ')}, got '${wanted}'.${didYouMean(wanted, CONTRIBUTION_KINDS)}`,
      );
    }
    const kinds = wanted ? [wanted as ContributionKind] : CONTRIBUTION_KINDS;
    const { registry } = await kit();
    const listing = Object.fromEntries(
      kinds.map((kind) => [kind, registry[kind].list().map((e) => ({ name: e.key, description: e.value.description, plugin: e.owner }))]),
    );
    print(listing, () =>
      kinds
        .map((kind) => {
          const rows = listing[kind]!;
          const body = rows.length === 0 ? '  (none)' : table(rows.map((r) => [`  ${r.name}`, r.description]));
          return `${kind}:\n${body}`;
        })
        .join('\n\n'),
    );
  },
};
