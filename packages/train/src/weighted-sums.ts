import * as tf from '@tensorflow/tfjs';
import type { WeightedSum } from '@nnkit/core';

/** Reads every sum and weight back in one transfer (a weight may already be a number). */
export async function readWeightedSums(
  named: Readonly<Record<string, WeightedSum>>,
): Promise<Record<string, { sum: number; weight: number }>> {
  const entries = Object.entries(named);
  const tensors = entries.flatMap(([, v]) => (typeof v.weight === 'number' ? [v.sum] : [v.sum, v.weight]));
  const stacked = tf.stack(tensors);
  const values = await stacked.data();
  stacked.dispose();
  let next = 0;
  return Object.fromEntries(
    entries.map(([name, v]) => {
      const sum = values[next++]!;
      const weight = typeof v.weight === 'number' ? v.weight : values[next++]!;
      return [name, { sum, weight }];
    }),
  );
}
