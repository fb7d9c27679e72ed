import type { TaskDefinition } from '@nnkit/core';
import { refuseMisfits, type CorpusFit } from './corpus-fit.js';
import { fieldsIn } from './schema-fields.js';

/**
 * A task's `configFrom` and `check` from one list of the sizes its corpus decides: the model's config takes the
 * corpus's values (for the fields its schema has), and a config set to values that can't hold the corpus is refused.
 * One list, so that a field the corpus fills is always a field it checks.
 */
export function corpusDecides<D>(fitsOf: (data: D) => readonly CorpusFit[]): Pick<TaskDefinition<D>, 'configFrom' | 'check'> {
  return {
    configFrom: (data, schema) => fieldsIn(schema, Object.fromEntries(fitsOf(data).map(({ field, corpus }) => [field, corpus]))),
    check: (data, config, { model, dataset }) => refuseMisfits(model, dataset, config, fitsOf(data)),
  };
}
