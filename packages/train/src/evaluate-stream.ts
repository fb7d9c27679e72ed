import * as tf from '@tensorflow/tfjs';
import type { Examples, Metric, StreamModel } from '@nnkit/core';
import { disposeAll, tidy } from '@nnkit/ops';
import { readWeightedSums } from './weighted-sums.js';

/** Token streams (`toStreams`) to measure a StreamModel on, read in windows of `window` steps (default 100). */
export interface StreamSplit {
  readonly streams: Examples;
  readonly window?: number;
}

/**
 * The mean loss per step (nats per token for a language model) of a StreamModel over streams, read in windows with
 * the state carried across them, so that every token is predicted from all that precedes it in its stream, as a
 * language model's test perplexity is measured; and `metrics`, each window added as a batch `{ inputs, targets }`.
 */
export async function evaluateStreams(
  model: StreamModel,
  { streams: data, window = 100 }: StreamSplit,
  metrics: readonly Metric[] = [],
): Promise<Record<string, number>> {
  const [streams, length] = data.xs.shape as [number, number];
  const accumulators = metrics.map((metric) => ({ name: metric.name, accumulator: metric.start() }));
  let state = model.initialState(streams);
  let sum = 0;
  let weight = 0;
  try {
    for (let start = 0; start < length; start += window) {
      const size = Math.min(window, length - start);
      const batch = tidy(() => ({
        inputs: data.xs.slice([0, start], [streams, size]),
        targets: data.ys.slice([0, start], [streams, size]),
      }));
      const { loss, next } = tidy(() => {
        const run = model.runWindow(batch, state, { lossSteps: size, training: false });
        return { loss: run.loss, next: run.states.at(-1)! };
      });
      const { loss: values } = await readWeightedSums({ loss });
      sum += values!.sum;
      weight += values!.weight;
      try {
        for (const { accumulator } of accumulators) await accumulator.add(batch, model, values!);
      } finally {
        disposeAll([loss, state, batch]);
        state = next;
      }
    }
    const result: Record<string, number> = { loss: sum / weight };
    for (const { name, accumulator } of accumulators) result[name] = accumulator.result();
    return result;
  } finally {
    tf.dispose(state);
  }
}

/** @deprecated `evaluate(model, { streams, window })`, whose `loss` this is. */
export async function evaluateStream(model: StreamModel, data: Examples, window = 100): Promise<number> {
  return (await evaluateStreams(model, { streams: data, window })).loss!;
}
