import type { ConfigSchema } from '@nnkit/core';

/** The values whose names `schema` has: what a task fills in of a model's config (a model without the field takes none). */
export function fieldsIn(schema: ConfigSchema, values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([name]) => name in schema));
}
