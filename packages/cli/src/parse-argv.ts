import { parseArgs } from 'node:util';
import { GLOBAL_OPTIONS, type Command, type CommandContext, type OptionSpec } from './command.js';
import { closestTo } from './did-you-mean.js';
import { UsageError } from './usage-error.js';

/**
 * The command line as node:util's parseArgs reads it, with two things done first and its errors said in nnkit's
 * words: a negative number after an option that takes a value is that value, and an unknown option gets the closest
 * known one. Without `command` (the first pass, to find the command) unknown options are let through.
 */
export function parseCommandLine(argv: readonly string[], command?: Command): { values: CommandContext['values']; positionals: string[] } {
  const options: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS, ...(command?.options ?? {}) };
  const args = joinNegativeNumbers(argv, options);
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: command !== undefined });
    if (command !== undefined) refuseEmptyValues(values as CommandContext['values'], options);
    return { values: values as CommandContext['values'], positionals };
  } catch (error) {
    if (!(error as { code?: unknown }).code?.toString().startsWith('ERR_PARSE_ARGS')) throw error;
    throw inNnkitWords(error as Error & { code?: string }, args, options, command);
  }
}

/** What a refusal of an empty value says was expected, for options whose spec gives no limit. */
const EXPECTED_BY_NAME: Readonly<Record<string, string>> = {
  out: 'a path',
  dir: 'a path',
  dataset: 'a registered name',
  preset: 'a registered name',
  layer: 'a layer name',
  namespace: 'a namespace',
};

/**
 * `--out ''` (often `--out "$UNSET_VARIABLE"`) is a value left out, not a request for the default: read as one it
 * would write where the user did not ask. Every string option refuses '' unless its spec allows it.
 */
function refuseEmptyValues(values: CommandContext['values'], options: Readonly<Record<string, OptionSpec>>): void {
  for (const [name, value] of Object.entries(values)) {
    const spec = options[name];
    if (spec?.type !== 'string' || spec.allowEmpty) continue;
    if (value === '' || (Array.isArray(value) && value.includes(''))) {
      const expected = spec.limit ?? EXPECTED_BY_NAME[name] ?? 'a value';
      throw new UsageError(`--${name} expects ${expected}, got ''. Leave --${name} out for the default.`);
    }
  }
}

/**
 * parseArgs reads a value that starts with '-' after a string option as an option of its own and refuses it as
 * ambiguous. A negative number is never an nnkit option, so `--epochs -1` becomes `--epochs=-1` (`-e -1` becomes
 * `-e-1`): the option gets its value and refuses it itself, in one line.
 */
export function joinNegativeNumbers(argv: readonly string[], options: Readonly<Record<string, OptionSpec>>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (arg === '--') {
      out.push(...argv.slice(i)); // what follows '--' is positional, as written
      break;
    }
    if (next !== undefined && takesValue(arg, options) && /^-(\d|\.\d|Infinity)/.test(next)) {
      out.push(arg.startsWith('--') ? `${arg}=${next}` : `${arg}${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function takesValue(arg: string, options: Readonly<Record<string, OptionSpec>>): boolean {
  if (arg.startsWith('--')) return !arg.includes('=') && options[arg.slice(2)]?.type === 'string';
  if (/^-[A-Za-z]$/.test(arg)) return Object.values(options).some((spec) => spec.short === arg[1] && spec.type === 'string');
  return false;
}

/** The long name of the option a parseArgs message is about: `--epochs` from "Option '-e, --epochs <value>' …". */
function optionIn(message: string): string | undefined {
  return /--[\w-]+/.exec(message)?.[0] ?? /'(-\w)/.exec(message)?.[1];
}

function inNnkitWords(
  error: Error & { code?: string },
  args: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
  command?: Command,
): Error {
  const flag = optionIn(error.message);
  const who = command ? `nnkit ${command.name}` : 'nnkit';
  if (flag === undefined) return new UsageError(`${error.message.split('\n')[0]}.`);
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const close = closestTo(flag.replace(/^-+/, ''), Object.keys(options));
    return new UsageError(
      `Unknown option '${flag}' for ${who}.${close.length > 0 ? ` Did you mean --${close[0]}?` : ` \`${who} --help\` lists the options it takes.`}`,
    );
  }
  const spec = options[flag.replace(/^-+/, '')];
  const expected = `a value${spec?.limit ? ` (${spec.limit})` : ''}`;
  if (/argument missing/.test(error.message)) return new UsageError(`${flag} expects ${expected}, got none.`);
  if (/ambiguous/.test(error.message)) {
    const at = args.findIndex((arg) => arg === flag || (spec?.short !== undefined && arg === `-${spec.short}`));
    const next = at >= 0 ? args[at + 1] : undefined;
    return new UsageError(
      `${flag} expects ${expected}, got ${next !== undefined ? `'${next}', which reads as an option` : 'none'}. If it is the value, write ${flag}=${next ?? '<value>'}.`,
    );
  }
  if (/does not take an argument/.test(error.message))
    return new UsageError(
      `${flag} expects no value (it is a switch), got '${args.find((a) => a.startsWith(`${flag}=`)) ?? flag}'. Write ${flag} alone.`,
    );
  return new UsageError(`${error.message.split('\n')[0]}.`);
}
