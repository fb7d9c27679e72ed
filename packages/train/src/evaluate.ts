import * as tf from '@tensorflow/tfjs';
import type { Examples, TrainableModel } from '@nnkit/core';
import { inOrder } from './batches.js';

/** Loss and metrics of `model` over `data`, averaged over examples (batches weighted by their size). */
export async function evaluate(model: TrainableModel, data: Examples, batchSize = 256): Promise<Record<string, number>> {
  const totals: Record<string, number> = {};
  let examples = 0;
  for (const batch of inOrder(data, batchSize)) {
    const size = batch.xs.shape[0]!;
    const named = tf.tidy(() => ({ loss: model.loss(batch.xs, batch.ys, { training: false }), ...model.metrics?.(batch.xs, batch.ys) }));
    for (const [name, value] of Object.entries(named)) {
      totals[name] = (totals[name] ?? 0) + (await value.data())[0]! * size;
    }
    tf.dispose([batch.xs, batch.ys, ...Object.values(named)]);
    examples += size;
  }
  return Object.fromEntries(Object.entries(totals).map(([name, total]) => [name, total / examples]));
}
