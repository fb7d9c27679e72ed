import { ConfigError, closestNames, type Field } from '@nnkit/core';

/** Options after `readOptions`: every key with a default present, the `Optional` ones maybe absent. */
export type Defaulted<T, Optional extends keyof T> = Required<Omit<T, Optional>> & Pick<T, Optional>;

/** Options as a schema of core's `Field`s; a field without a default is optional (absent stays undefined). */
export type OptionSchema = Record<string, Field<unknown>>;

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Checks a dataset's options: an unknown key is refused with the closest known one suggested (a typo such as
 * `sead` would otherwise be ignored silently and the default used), and each given value must pass its field's
 * check. Returns the options with defaults filled. `owner` names the dataset in messages: `datasets/cmudict`.
 */
export function readOptions<T>(owner: string, schema: OptionSchema, input: unknown): T {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new ConfigError(`Dataset ${owner} expects an options object, got ${show(input)}.`);
  const given = input as Record<string, unknown>;
  const known = Object.keys(schema);
  for (const key of Object.keys(given)) {
    if (Object.hasOwn(schema, key)) continue;
    const close = closestNames(key, known, 1);
    const hint = close.length > 0 ? ` Did you mean '${close[0]}'?` : '';
    throw new ConfigError(`Dataset ${owner} expects options among ${known.join(', ')}, got unknown option '${key}'.${hint}`, key);
  }
  const options: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const value = given[key] !== undefined ? given[key] : spec.default;
    if (value === undefined) continue; // optional and absent
    const expected = spec.check(value);
    if (expected !== undefined) throw new ConfigError(`Option '${key}' of dataset ${owner} expects ${expected} (${spec.description}), got ${show(value)}.`, key);
    options[key] = value;
  }
  return options as T;
}

/** A fraction of the data held out for a split: 0 ≤ x < 1. */
export function fractionField(description: string, defaultValue: number): Field<number> {
  return {
    type: 'number ≥ 0 and < 1',
    description,
    default: defaultValue,
    check: (value) => (typeof value === 'number' && value >= 0 && value < 1 ? undefined : 'a number ≥ 0 and < 1'),
  };
}

/** Checks that two held-out fractions leave something to train on. */
export function checkFractions(owner: string, validationFraction: number, testFraction: number): void {
  if (validationFraction + testFraction >= 1) {
    throw new ConfigError(`Dataset ${owner} expects validationFraction + testFraction < 1, got ${validationFraction} + ${testFraction}. Lower one of them.`, 'testFraction');
  }
}
