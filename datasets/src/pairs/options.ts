import { ConfigError, validateOptions, type ConfigSchema, type Field } from '@nnkit/core';

/** Options after `readOptions`: every key with a default present, the `Optional` ones maybe absent. */
export type Defaulted<T, Optional extends keyof T> = Required<Omit<T, Optional>> & Pick<T, Optional>;

/**
 * A dataset's options checked against its schema (the one its definition declares as `options`), defaults filled:
 * core's validateOptions, which the registry also runs before `load()`, so that `loadCmudict({ limt: 5 })` called
 * directly is refused as `kit.loadDataset('datasets/cmudict', …)` is. `owner` names the dataset: `datasets/cmudict`.
 */
export function readOptions<T>(owner: string, schema: ConfigSchema, input: unknown): T {
  return validateOptions(schema, input, `dataset ${owner}`) as T;
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
    throw new ConfigError(
      `Dataset ${owner} expects validationFraction + testFraction < 1, got ${validationFraction} + ${testFraction}. Lower one of them.`,
      'testFraction',
    );
  }
}
