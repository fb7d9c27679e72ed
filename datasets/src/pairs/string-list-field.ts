import type { Field } from '@nnkit/core';

export interface StringListFieldOptions {
  readonly description: string;
  readonly default?: string[];
  /** What a list of strings must also be (at least two locales, some format): checked after its type. */
  readonly valid: (list: readonly string[]) => boolean;
  /** What the option expects, for the error: 'a list of at least 2 different locales'. */
  readonly expects: string;
}

/** An option that is a list of names (locales, date formats): a list of strings that `valid` accepts. */
export function stringListField({ valid, expects, ...shown }: StringListFieldOptions): Field<string[]> {
  return {
    type: 'string[]',
    ...shown,
    check: (value) => (Array.isArray(value) && value.every((v) => typeof v === 'string') && valid(value) ? undefined : expects),
  };
}
