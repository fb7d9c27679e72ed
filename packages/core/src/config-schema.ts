import { ConfigError } from './errors.js';
import { closestNames } from './suggest.js';

/**
 * A model's config is described by a schema of fields, so that the registry can fill defaults, refuse unknown
 * or ill-typed keys with the key named, and `nnkit info` can print every option with its default.
 *
 * ```ts
 * const config = {
 *   units: field.integer({ default: 128, min: 1, description: 'hidden units' }),
 *   cell: field.string({ default: 'lstm/lstm', description: 'registered recurrent cell' }),
 * };
 * ```
 */
export interface Field<T> {
  /** What the field holds, as printed by `nnkit info`: `integer ≥ 1`, `'tanh' | 'relu'`, … */
  readonly type: string;
  readonly description: string;
  /** Filled in when the key is absent; a field without a default is required. */
  readonly default?: T;
  /** Returns undefined for a valid value, else what was expected (`an integer ≥ 1`). */
  readonly check: (value: unknown) => string | undefined;
}

export type ConfigSchema = Record<string, Field<unknown>>;

/** The config object a schema describes: `{ units: number; cell: string }`. */
export type ConfigOf<S extends ConfigSchema> = { -readonly [K in keyof S]: S[K] extends Field<infer T> ? T : never };

interface NumberOptions {
  description: string;
  default?: number;
  /** Inclusive bounds. */
  min?: number;
  max?: number;
}

/** A field whose values pass one test: `expected` is what a refusal says it wanted ('a string'). */
function plainField<T>(
  type: string,
  expected: string,
  holds: (value: unknown) => boolean,
  options: { description: string; default?: T },
): Field<T> {
  return {
    type,
    description: options.description,
    ...(options.default !== undefined && { default: options.default }),
    check: (value) => (holds(value) ? undefined : expected),
  };
}

function numberField(integer: boolean, options: NumberOptions): Field<number> {
  const { min, max } = options;
  const noun = integer ? 'integer' : 'number';
  const bounds = [min !== undefined ? `≥ ${min}` : '', max !== undefined ? `≤ ${max}` : ''].filter(Boolean).join(' and ');
  const type = bounds ? `${noun} ${bounds}` : noun;
  const holds = (value: unknown) =>
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (min === undefined || value >= min) &&
    (max === undefined || value <= max);
  return plainField(type, `${integer ? 'an' : 'a'} ${type}`, holds, options);
}

export const field = {
  number: (options: NumberOptions) => numberField(false, options),
  integer: (options: NumberOptions) => numberField(true, options),
  string: (options: { description: string; default?: string }) =>
    plainField<string>('string', 'a string', (value) => typeof value === 'string', options),
  boolean: (options: { description: string; default?: boolean }) =>
    plainField<boolean>('boolean', 'true or false', (value) => typeof value === 'boolean', options),
  oneOf<const V extends string>(values: readonly V[], options: { description: string; default?: V }): Field<V> {
    const type = values.map((v) => `'${v}'`).join(' | ');
    return plainField<V>(type, `one of ${type}`, (value) => values.includes(value as V), options);
  },
  integerList(options: { description: string; default?: number[]; min?: number }): Field<number[]> {
    const min = options.min ?? -Infinity;
    const type = options.min !== undefined ? `integer[] (each ≥ ${options.min})` : 'integer[]';
    return plainField(type, `an ${type}`, (value) => Array.isArray(value) && value.every((v) => Number.isInteger(v) && v >= min), options);
  },
};

/**
 * A value as a message quotes it: strings in single quotes, numbers as written (NaN and Infinity too, which JSON
 * would show as null), anything else as JSON (`[1,2]`, `null`, `{"a":1}`), and `undefined`.
 */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined || typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The words a refusal uses for what is configured: a model's config has keys and needs every field without a
 * default; a dataset's or an encoder's options are options, and one without a default may be left out.
 */
interface Owner {
  /** `Config for model 'lstm/lm'`, `Dataset datasets/mnist`: the subject of "expects an object". */
  readonly whole: string;
  readonly noun: 'key' | 'option';
  /** `Config key 'units' of model 'lstm/lm'`: the subject of "expects an integer ≥ 1". */
  one(key: string): string;
  /** Whether a field without a default must be given. */
  readonly required: boolean;
  /** Whether a refusal of a value gives the field's description: an option's is not shown by `nnkit info`. */
  readonly describe: boolean;
}

/** Checks every key of `input` against `schema` and returns the values with defaults filled, or a ConfigError. */
function checkFields(schema: ConfigSchema, input: unknown, owner: Owner): Record<string, unknown> {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError(`${owner.whole} expects ${owner.noun === 'key' ? 'an object' : 'an options object'}, got ${showValue(input)}.`);
  }
  const given = input as Record<string, unknown>;
  const known = Object.keys(schema);
  for (const key of Object.keys(given)) {
    if (Object.hasOwn(schema, key)) continue;
    const close = closestNames(key, known, 1);
    const hint = close.length > 0 ? ` Did you mean '${close[0]}'?` : '';
    throw new ConfigError(
      `${owner.whole} expects ${owner.noun}s among ${known.join(', ') || '(none)'}, got unknown ${owner.noun} '${key}'.${hint}`,
      key,
    );
  }
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const value = given[key] !== undefined ? given[key] : spec.default;
    if (value === undefined) {
      if (!owner.required) continue; // optional and absent
      throw new ConfigError(`${owner.whole} expects '${key}' (${spec.type}: ${spec.description}), got nothing. Set it.`, key);
    }
    const expected = spec.check(value);
    if (expected !== undefined) {
      throw new ConfigError(
        `${owner.one(key)} expects ${expected}${owner.describe ? ` (${spec.description})` : ''}, got ${showValue(value)}.`,
        key,
      );
    }
    values[key] = Array.isArray(value) ? [...value] : value;
  }
  return values;
}

/**
 * Checks `input` against `schema` and returns a complete config: defaults filled, every key checked.
 * `owner` names what is being configured (`model 'lstm/lm'`) so the error can say where the mistake is.
 */
export function validateConfig<S extends ConfigSchema>(schema: S, input: unknown, owner: string): ConfigOf<S> {
  return checkFields(schema, input, {
    whole: `Config for ${owner}`,
    noun: 'key',
    one: (key) => `Config key '${key}' of ${owner}`,
    required: true,
    describe: false,
  }) as ConfigOf<S>;
}

/**
 * Checks a dataset's or an encoder's options as a model's config is checked: an unknown option is refused with the
 * closest known one suggested (a typo such as `sead` would otherwise be ignored and the default used), and each value
 * must pass its field's check. Unlike a config, a field without a default is optional: absent, it stays absent.
 * `owner` names it in messages: `dataset datasets/cmudict`, `encoder lenet5/features`.
 */
export function validateOptions(schema: ConfigSchema, input: unknown, owner: string): Record<string, unknown> {
  const whole = owner.charAt(0).toUpperCase() + owner.slice(1);
  return checkFields(schema, input, {
    whole,
    noun: 'option',
    one: (key) => `Option '${key}' of ${owner}`,
    required: false,
    describe: true,
  });
}

/** A printable description of every field: what `nnkit info` and `--json` show. */
export function describeSchema(schema: ConfigSchema): { key: string; type: string; default?: unknown; description: string }[] {
  return Object.entries(schema).map(([key, spec]) => ({
    key,
    type: spec.type,
    ...(spec.default !== undefined && { default: spec.default }),
    description: spec.description,
  }));
}
