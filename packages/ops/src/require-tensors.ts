import type * as tf from '@tensorflow/tfjs';
import { ShapeError, type Batch } from '@nnkit/core';

/**
 * The named tensors a model reads from a batch, or a ShapeError that says which names it needs and which it got
 * (LeNet-5 handed a token stream, a language model handed images): one message for every model.
 */
export function requireTensors<K extends string>(batch: Batch, names: readonly K[], owner: string): Record<K, tf.Tensor> {
  const missing = names.filter((name) => batch[name] === undefined);
  if (missing.length > 0) {
    const got = Object.keys(batch);
    throw new ShapeError(
      `${owner} expects a batch with ${names.map((n) => `'${n}'`).join(', ')}, got ${got.length > 0 ? got.map((n) => `'${n}'`).join(', ') : 'an empty batch'}. ` +
        'Is the data meant for this model? (Examples { xs, ys } become { inputs, targets }.)',
    );
  }
  return Object.fromEntries(names.map((name) => [name, batch[name]!])) as Record<K, tf.Tensor>;
}
