import type { Kit } from '@nnkit/core';

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  backend: { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  'no-discover': { type: 'boolean' },
} as const;

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** Shown by --help. */
  readonly description?: string;
  /** The values it takes, shown by --help and in the refusal of a missing value: "an integer from 1 to 64". */
  readonly limit?: string;
  /** An empty value ('') means something here; elsewhere it is refused as a value left out by mistake. */
  readonly allowEmpty?: boolean;
}

export interface CommandContext {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly json: boolean;
  /** Creates the kit with the built-in plugins, the config file's and the discovered ones. */
  kit(): Promise<Kit>;
  /** Writes the result: `data` as JSON with --json, else `text()`. */
  print(data: unknown, text: () => string): void;
}

export interface Command {
  readonly name: string;
  /** `list [models|cells|…]` */
  readonly usage: string;
  readonly summary: string;
  readonly options?: Readonly<Record<string, OptionSpec>>;
  /** How many positionals it takes. */
  readonly positionals: { readonly min: number; readonly max: number };
  run(context: CommandContext): Promise<void>;
}
