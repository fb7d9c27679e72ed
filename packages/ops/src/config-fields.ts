// The config fields that recur across the models, with one set of limits for all of them, so that a model's schema
// says only what its field means.
import { field, RESERVED_TOKENS, type Field } from '@nnkit/core';

/** The widest layer a model config accepts: larger asks are typos, not models that fit in memory. */
const MAX_LAYER_SIZE = 8192;

/** A symbol vocabulary's size: at least the reserved symbols (<pad> <s> </s> <unk>); the corpus decides it. */
export function vocabularySizeField(description: string): Field<number> {
  return field.integer({ min: RESERVED_TOKENS.length, max: 262_144, description });
}

/** The size of a layer (hidden units, an embedding): at least 1. */
export function layerSizeField(defaultSize: number, description: string): Field<number> {
  return field.integer({ default: defaultSize, min: 1, max: MAX_LAYER_SIZE, description });
}

/** A dropout rate, 0 (none, the default) to 0.9. */
export function dropoutField(description: string): Field<number> {
  return field.number({ default: 0, min: 0, max: 0.9, description });
}
