import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, type Batch, type BatchSource, type Examples, type StreamModel } from '@nnkit/core';
import { evaluateStreams } from './evaluate-stream.js';
import type { TrainingMode } from './training-mode.js';

export interface BpttSettings {
  /** An update every k1 steps of the stream. */
  readonly k1: number;
  /** Each update back-propagates through the last k2 steps (k2 ≥ k1). */
  readonly k2: number;
}

/**
 * A cross-entropy in nats per token past which the perplexity exp(loss) overflows to Infinity: a language model that
 * gives the right token a probability under 1e-308 has diverged, though its loss is a finite number.
 */
export const MAX_LOSS_PER_TOKEN = Math.log(Number.MAX_VALUE);

/** Where update `index` reads: steps [start, end) of every stream, the loss over the last k1 of them. */
function windowOf(index: number, { k1, k2 }: BpttSettings) {
  const end = (index + 1) * k1;
  const start = Math.max(0, end - k2);
  return { start, end, lossSteps: end - Math.max(start, end - k1), nextStart: Math.max(0, end + k1 - k2) };
}

/**
 * The windows of truncated BPTT over (streams, length) token streams as batches `{ inputs, targets }` of
 * (streams, end − start): one per update, in order (a stream is never shuffled).
 */
export function streamWindows(data: Examples, bptt: BpttSettings): BatchSource {
  const { k1, k2 } = bptt;
  if (!(Number.isInteger(k1) && Number.isInteger(k2) && k1 >= 1 && k2 >= k1)) {
    throw new ConfigError(
      `bptt expects integers with 1 ≤ k1 ≤ k2, got k1 = ${k1}, k2 = ${k2}. k1 is how often to update, k2 how far back to look.`,
    );
  }
  if (data.xs.rank !== 2)
    throw new ShapeError(
      `bptt expects token streams of shape (streams, length), got [${data.xs.shape}]. Make them with toStreams(ids, streams).`,
    );
  const [streams, length] = data.xs.shape as [number, number];
  if (data.ys.shape[0] !== streams || data.ys.shape[1] !== length) {
    throw new ShapeError(`bptt expects ys with the streams and steps of xs [${streams}, ${length}], got [${data.ys.shape.slice(0, 2)}].`);
  }
  if (length < k1) throw new ShapeError(`bptt expects a stream of at least k1 = ${k1} steps, got ${length}.`);
  const batchesPerEpoch = Math.floor(length / k1);
  return {
    batchesPerEpoch,
    unit: 'tok',
    unitsPerEpoch: batchesPerEpoch * k1 * streams,
    batch(_epoch, index) {
      const { start, end } = windowOf(index, bptt);
      return tf.tidy(() => ({
        inputs: data.xs.slice([0, start], [streams, end - start]),
        targets: data.ys.slice([0, start], [streams, end - start]),
      }));
    },
  };
}

/**
 * Williams & Peng (1990)'s BPTT(k2; k1) over a StreamModel: the state carries across windows; each window
 * restarts from the (detached) state k2 − k1 steps before its k1 new ones, so that every new step's gradient
 * reaches up to k2 steps back. Every epoch starts from the zero state and reads the streams in order.
 */
export function bpttMode(model: StreamModel, data: Examples, bptt: BpttSettings, validation: Examples | undefined): TrainingMode {
  if (typeof model.runWindow !== 'function' || typeof model.initialState !== 'function') {
    throw new ConfigError('train with bptt expects a StreamModel (initialState and runWindow), got a model without runWindow.');
  }
  const source = streamWindows(data, bptt);
  const streams = data.xs.shape[0]!;
  // kept[p]: the detached state after p steps of the streams, held while a later window may start there.
  const kept = new Map<number, tf.Tensor[]>();
  let carried: tf.Tensor[] | undefined;
  const release = () => {
    for (const state of kept.values()) tf.dispose(state);
    kept.clear();
    tf.dispose(carried ?? []);
    carried = undefined;
  };
  return {
    source,
    lossLimit: MAX_LOSS_PER_TOKEN,
    startEpoch() {
      release();
      kept.set(0, model.initialState(streams));
    },
    loss(batch: Batch, index, seed) {
      const { start, lossSteps, nextStart } = windowOf(index, bptt);
      const { loss, states } = model.runWindow(batch, kept.get(start)!, { lossSteps, training: true, seed });
      tf.dispose(carried ?? []);
      carried = nextStart > start ? states[nextStart - start - 1]!.map((s) => tf.keep(s.clone())) : undefined;
      return loss;
    },
    commit(index) {
      const { nextStart } = windowOf(index, bptt);
      if (carried) kept.set(nextStart, carried);
      carried = undefined;
      for (const [position, state] of kept) {
        if (position >= nextStart) continue;
        tf.dispose(state);
        kept.delete(position);
      }
    },
    ...(validation && { validate: () => evaluateStreams(model, { streams: validation }) }),
    dispose: release,
  };
}
