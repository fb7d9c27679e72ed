import type { Command, OptionSpec } from './command.js';
import { integerLimit, SEED_RANGE } from './options.js';
import { table } from './table.js';

const GLOBAL_HELP: [string, string][] = [
  ['--backend <name>', 'auto | tensorflow-gpu | tensorflow | webgpu | wasm | cpu (default: NNKIT_BACKEND, else auto)'],
  ['--seed <n>', `random seed, ${integerLimit(SEED_RANGE)} (default: NNKIT_SEED, else 42)`],
  ['--json', 'machine-readable output on stdout'],
  ['-h, --help', 'help for nnkit or for one command'],
  ['--version', "nnkit's version (with --json: every package's)"],
  ['--no-discover', "load no installed nnkit-plugin packages, only the built-in ones and the config file's"],
];

function optionRows(options: Readonly<Record<string, OptionSpec>>): [string, string][] {
  return Object.entries(options).map(([name, spec]) => [
    `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ' <value>' : ''}`,
    [spec.description, spec.limit && `takes ${spec.limit}`].filter(Boolean).join('; '),
  ]);
}

export function mainHelp(commands: readonly Command[]): string {
  return [
    'nnkit — convolutional and recurrent networks on TensorFlow.js',
    '',
    'usage: nnkit <command> [options]',
    '',
    'commands:',
    table(commands.map((c) => [`  ${c.usage}`, c.summary])),
    '',
    'options:',
    table(GLOBAL_HELP.map(([o, d]) => [`  ${o}`, d])),
    '',
    'Plugins: the built-in ones, those listed in nnkit.config.{js,mjs,json}, and installed packages with the keyword nnkit-plugin',
    '(one that fails to load is skipped with a line on stderr; --no-discover or "discover": false in the config file turn discovery off).',
    'Exit codes: 0 success, 1 runtime error, 2 usage error.',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  const lines = [`usage: nnkit ${command.usage} [options]`, '', command.summary];
  if (command.options && Object.keys(command.options).length > 0) {
    lines.push('', 'options:', table(optionRows(command.options).map(([o, d]) => [`  ${o}`, d])));
  }
  lines.push('', 'global options:', table(GLOBAL_HELP.map(([o, d]) => [`  ${o}`, d])));
  return lines.join('\n');
}
