import type { Command, CommandContext, OptionSpec } from './command.js';
import {
  choiceOption,
  integerLimit,
  integerOption,
  jsonObjectOption,
  nameOption,
  numberLimit,
  numberOption,
  pathOption,
  type IntegerRange,
  type NumberRange,
} from './options.js';
import { UsageError } from './usage-error.js';

/**
 * An option that reads its own value: the spec parseArgs and --help take, and one of options.ts's readers, which
 * turns what parseArgs gave (undefined when the flag was not passed) into a typed value or a UsageError (exit 2).
 * Declared once, the limit --help shows and the one a refusal names are the same text.
 */
export interface TypedOption<T> extends OptionSpec {
  read(raw: unknown, name: string): T;
}

/** The values a command's typed options read to: `{ units: number | undefined; quick: boolean }`. */
export type OptionValues<O> = { readonly [K in keyof O]: O[K] extends TypedOption<infer T> ? T : never };

/** What a refusal says after "--x expects …, got '…'.": how to get what was wanted. */
interface Hint {
  readonly hint?: string;
}

/** `read`, with `hint` added to the UsageError it throws. */
function hinted<T>(read: (raw: unknown, name: string) => T, hint: string | undefined): (raw: unknown, name: string) => T {
  if (hint === undefined) return read;
  return (raw, name) => {
    try {
      return read(raw, name);
    } catch (error) {
      throw error instanceof UsageError ? new UsageError(`${error.message} ${hint}`) : error;
    }
  };
}

/** The typed options a command declares, each with the description --help gives it. */
export const option = {
  /** `--name` alone: true when passed. */
  flag: (description: string): TypedOption<boolean> => ({ type: 'boolean', description, read: (raw) => raw === true }),
  /** `--name <text>`: any text, '' only where `allowEmpty` says it means something. */
  text: (description: string, more: { limit?: string; allowEmpty?: boolean } = {}): TypedOption<string | undefined> => ({
    type: 'string',
    description,
    ...more,
    read: (raw) => (raw === undefined ? undefined : String(raw)),
  }),
  integer: (description: string, range: IntegerRange, more: Hint = {}): TypedOption<number | undefined> => ({
    type: 'string',
    description,
    limit: integerLimit(range),
    read: hinted((raw, name) => integerOption(raw, name, range), more.hint),
  }),
  /** `limit` where --help has said it in other words than the range's own ("a finite number ≥ 0"). */
  number: (description: string, range: NumberRange, more: Hint & { limit?: string } = {}): TypedOption<number | undefined> => {
    const limit = more.limit ?? numberLimit(range);
    return {
      type: 'string',
      description,
      limit,
      read: hinted((raw, name) => numberOption(raw, name, range, limit), more.hint),
    };
  },
  choice: <T extends string>(description: string, choices: readonly T[]): TypedOption<T | undefined> => ({
    type: 'string',
    description,
    limit: `one of ${choices.join(', ')}`,
    read: (raw, name) => choiceOption(raw, name, choices),
  }),
  path: (description: string, more: { limit?: string } = {}): TypedOption<string | undefined> => ({
    type: 'string',
    description,
    ...more,
    read: pathOption,
  }),
  /** A registered name (a dataset, a preset): whether it is registered is the registry's to say. */
  name: (description: string): TypedOption<string | undefined> => ({ type: 'string', description, read: nameOption }),
  json: (description: string): TypedOption<Record<string, unknown>> => ({
    type: 'string',
    description,
    limit: 'a JSON object',
    read: jsonObjectOption,
  }),
};

/** What a command declares: its usage (whose first word is its name), summary, arguments and typed options. */
export interface CommandDefinition<O extends Readonly<Record<string, TypedOption<unknown>>>> {
  /** `visualize <model-dir>`: what --help and a usage error show; its first word is the command's name. */
  readonly usage: string;
  readonly summary: string;
  /** How many arguments it takes after its name; left out, they are read from `usage` (see `argumentsOf`). */
  readonly positionals?: Command['positionals'];
  readonly options?: O;
  /** Runs with `options` read, every one of them, before any work: a mistake in one costs nothing. */
  run(context: CommandContext & { readonly options: OptionValues<O> }): Promise<void>;
}

/**
 * How many arguments a usage line takes after the command's name, so that the two cannot disagree: each `<value>` or
 * plain word (`new plugin <name>`) is required, each `[value]` optional (`[--flag]` is an option, not an argument),
 * and `[value …]` any number of them.
 */
export function argumentsOf(usage: string): Command['positionals'] {
  const parts = (usage.match(/<[^>]*>|\[[^\]]*\]|\S+/g) ?? []).slice(1).filter((part) => !part.startsWith('[-'));
  const optional = parts.filter((part) => part.startsWith('['));
  const min = parts.length - optional.length;
  return { min, max: optional.some((part) => / …\]$/.test(part)) ? Infinity : min + optional.length };
}

/** A command from its definition: the name from its usage, and its options read in the order they are declared. */
export function defineCommand<O extends Readonly<Record<string, TypedOption<unknown>>> = Record<never, never>>(
  definition: CommandDefinition<O>,
): Command {
  const { usage, summary, positionals = argumentsOf(usage), options } = definition;
  const declared: Readonly<Record<string, TypedOption<unknown>>> = options ?? {};
  return {
    name: usage.split(' ', 1)[0]!,
    usage,
    summary,
    positionals,
    ...(options !== undefined && { options }),
    run: async (context) => {
      const values = Object.fromEntries(Object.entries(declared).map(([name, typed]) => [name, typed.read(context.values[name], name)]));
      return definition.run({ ...context, options: values as OptionValues<O> });
    },
  };
}
