import type { Command } from '../command.js';
import { backendsCommand } from './backends.js';
import { infoCommand } from './info.js';
import { listCommand } from './list.js';
import { pluginsCommand } from './plugins.js';

export const COMMANDS: readonly Command[] = [pluginsCommand, listCommand, infoCommand, backendsCommand];
