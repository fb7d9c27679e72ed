import { probeBackends } from '@nnkit/backends';
import { defineCommand } from '../define-command.js';
import { table } from '../table.js';

export const backendsCommand = defineCommand({
  usage: 'backends',
  summary: 'every backend with its state here: ready, not installed, or why it failed to load',
  async run({ print }) {
    const statuses = await probeBackends();
    print(statuses, () =>
      table([['backend', 'state', 'reason or detail'], ...statuses.map((s) => [s.name, s.state, s.reason ?? s.detail ?? ''])]),
    );
  },
});
