import * as tf from '@tensorflow/tfjs';
import { DataError, type BatchSource, type Examples, type Metric, type TrainableModel, type WeightedSum } from '@nnkit/core';
import { disposeAll, tidy } from '@nnkit/ops';
import { batchesOf, exampleBatches } from './batches.js';
import { nonFiniteParts } from './step-numbers.js';

export interface EvaluateOptions {
  /** Examples per batch when `data` is plain examples (default 256). */
  readonly batchSize?: number;
  /** Split-level metrics (perplexity, BLEU, error rates) besides the model's own. */
  readonly metrics?: readonly Metric[];
  /** Who measures what, in messages: `['Training', 'its validation data']` (default `['evaluate', 'its data']`). */
  readonly naming?: readonly [who: string, what: string];
}

export function isBatchSource(data: unknown): data is BatchSource {
  return typeof (data as BatchSource).batch === 'function' && typeof (data as BatchSource).batchesPerEpoch === 'number';
}

/**
 * The loss and metrics of `model` over a split: every sum and its weight added over all batches, then divided,
 * so that the loss is exact per token however the split is batched and padded.
 */
export async function evaluate(model: TrainableModel, data: Examples | BatchSource, options: EvaluateOptions = {}): Promise<Record<string, number>> {
  const [who, what] = options.naming ?? ['evaluate', 'its data'];
  const source = isBatchSource(data) ? data : exampleBatches(data, { batchSize: options.batchSize ?? 256, shuffle: false });
  if (source.batchesPerEpoch === 0 || source.unitsPerEpoch === 0) {
    throw new DataError(`${who} expects at least one example in ${what}, got an empty split. Give it data, or leave the split out.`);
  }
  const accumulators = (options.metrics ?? []).map((metric) => ({ name: metric.name, accumulator: metric.start() }));
  const totals = new Map<string, { sum: number; weight: number }>();
  for (const batch of batchesOf(source)) {
    const named = tidy(() => ({ loss: model.loss(batch, { training: false }), ...model.metrics?.(batch) }));
    try {
      // NaN or ±Infinity in the data can come out as a plausible-looking loss (a max-pool drops NaN): say which tensor holds it.
      const bad = await nonFiniteParts(batch as Readonly<Record<string, tf.Tensor>>);
      if (bad.length > 0) {
        throw new DataError(
          `${who} expects finite numbers in ${what}, got NaN or ±Infinity in the batch's ${bad.map((name) => `'${name}'`).join(' and ')}. ` +
            `Find the values with tf.isFinite and drop or replace those examples.`,
        );
      }
      const values = await readWeightedSums(named);
      for (const [name, value] of Object.entries(values)) {
        const total = totals.get(name) ?? { sum: 0, weight: 0 };
        totals.set(name, { sum: total.sum + value.sum, weight: total.weight + value.weight });
      }
      for (const { accumulator } of accumulators) await accumulator.add(batch, model, values.loss!);
    } finally {
      disposeAll([batch, named]); // a weight that is a number is passed over
    }
  }
  const result: Record<string, number> = {};
  for (const [name, { sum, weight }] of totals) result[name] = sum / weight;
  for (const { name, accumulator } of accumulators) result[name] = accumulator.result();
  return result;
}

/** Reads every sum and weight back in one transfer (a weight may already be a number). */
export async function readWeightedSums(named: Readonly<Record<string, WeightedSum>>): Promise<Record<string, { sum: number; weight: number }>> {
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
