import * as tf from '@tensorflow/tfjs';
import type { Examples } from '@nnkit/core';

/** The first `n` examples: a copy the caller frees, or `data` itself where it has no more than `n`. */
export function firstExamples(data: Examples, n: number): Examples {
  if (n >= data.xs.shape[0]!) return data;
  return tf.tidy(() => ({ xs: tf.slice(data.xs, 0, n), ys: tf.slice(data.ys, 0, n) }));
}

/** `settings` without the keys that are unset (a full run's `trainLimit: undefined`): a record holds only values. */
export function definedSettings(settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}
