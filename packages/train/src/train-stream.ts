import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, silentProgress, type Examples, type OptimizerSpec, type ProgressReporter, type StreamModel } from '@nnkit/core';
import { clipByGlobalNorm } from '@nnkit/ops';
import type { EpochLog, TrainingCallbacks } from './callbacks.js';
import { CheckpointStore, type CheckpointOptions } from './checkpoint-store.js';
import { TrainingDivergedError } from './errors.js';
import { createOptimizer, setLearningRate } from './optimizer.js';
import { readStepNumbers } from './step-numbers.js';
import { encodeTrainingState, restoreTrainingState } from './training-state.js';

export interface StreamTrainOptions {
  readonly model: StreamModel;
  /** One stream per row: xs and ys are (streams, length, …), ys[t] the target after reading xs[0 … t]. */
  readonly data: Examples;
  /**
   * Williams & Peng (1990)'s BPTT(k2; k1): an update every k1 steps, each back-propagating through the last k2
   * steps (k2 ≥ k1). The state carries across windows; each window restarts from the (detached) state k2 − k1
   * steps before the k1 new ones, so that every new step's gradient reaches up to k2 steps back.
   */
  readonly bptt: { readonly k1: number; readonly k2: number };
  readonly optimizer?: OptimizerSpec;
  /** Passes over the stream. */
  readonly epochs: number;
  readonly clip?: { readonly norm: number };
  /** A learning-rate schedule: the rate for each epoch (0-based), set at the epoch's start. */
  readonly learningRate?: (epoch: number) => number;
  readonly callbacks?: readonly TrainingCallbacks[];
  readonly seed?: number;
  readonly progress?: ProgressReporter;
  readonly label?: string;
  /** Checkpoints at the end of every epoch (everySteps does not apply); the best by `monitor` (default `loss`). */
  readonly checkpoint?: Omit<CheckpointOptions, 'everySteps'>;
  /**
   * Continue from the newest intact checkpoint in `checkpoint.dir`. Each epoch starts from the zero state and reads
   * the stream in order, so a run resumed at an epoch's end reaches the same weights as one never stopped.
   */
  readonly resume?: boolean;
}

export interface StreamTrainResult {
  readonly steps: number;
  readonly history: EpochLog[];
  readonly stoppedEarly: boolean;
  readonly resumedFrom?: number;
  readonly lastCheckpoint?: string;
}

/**
 * Trains a StreamModel over a long stream with truncated BPTT (see `bptt`). Returns the per-epoch mean loss.
 * Like `train`, it stops at a NaN or infinite loss (or gradient) before the bad update, and leaves no tensor behind.
 */
export async function trainStream(options: StreamTrainOptions): Promise<StreamTrainResult> {
  const { model, data, bptt, epochs, seed = 42, callbacks = [] } = options;
  const { k1, k2 } = bptt;
  if (!(Number.isInteger(k1) && Number.isInteger(k2) && k1 >= 1 && k2 >= k1)) {
    throw new ConfigError(`bptt expects integers with 1 ≤ k1 ≤ k2, got k1 = ${k1}, k2 = ${k2}. k1 is how often to update, k2 how far back to look.`);
  }
  const [streams, length] = data.xs.shape as [number, number];
  if (data.ys.shape[0] !== streams || data.ys.shape[1] !== length) {
    throw new ShapeError(`bptt expects ys with the streams and steps of xs [${streams}, ${length}], got [${data.ys.shape.slice(0, 2)}].`);
  }
  if (length < k1) throw new ShapeError(`bptt expects a stream of at least k1 = ${k1} steps, got ${length}.`);
  const optimizer = createOptimizer(options.optimizer ?? { name: 'adam', learningRate: 1e-3 });
  const progress = options.progress ?? silentProgress();
  const updatesPerEpoch = Math.floor(length / k1);
  const task = progress.start(options.label ?? 'training (bptt)', { total: epochs * updatesPerEpoch * k1 * streams, unit: 'tok' });
  if (options.resume && !options.checkpoint) throw new ConfigError('trainStream expects checkpoint.dir when resume is set: resuming reads the newest checkpoint there.');
  const store = options.checkpoint ? new CheckpointStore(options.checkpoint.dir, options.checkpoint.keep) : undefined;
  const monitor = options.checkpoint?.monitor ?? 'loss';
  let history: EpochLog[] = [];
  let step = 0;
  let firstEpoch = 0;
  let best = Infinity;
  let resumedFrom: number | undefined;
  let lastCheckpoint: string | undefined;
  const result = (stoppedEarly: boolean): StreamTrainResult => ({ steps: step, history, stoppedEarly, ...(resumedFrom !== undefined && { resumedFrom }), ...(lastCheckpoint && { lastCheckpoint }) });
  try {
    const checkpoint = options.resume ? store!.latest((error) => progress.log(`skipping a damaged checkpoint: ${error.message}`)) : undefined;
    if (checkpoint) {
      await restoreTrainingState(checkpoint, model, optimizer);
      ({ step, epoch: firstEpoch } = checkpoint.header);
      ({ history = [], best = Infinity } = checkpoint.header.state as { history?: EpochLog[]; best?: number });
      resumedFrom = step;
      lastCheckpoint = checkpoint.path;
      progress.log(`resumed from ${checkpoint.path} (step ${step}, epoch ${firstEpoch + 1})`);
    }
    for (let epoch = firstEpoch; epoch < epochs; epoch++) {
      if (options.learningRate) setLearningRate(optimizer, options.learningRate(epoch));
      // states[p] is the (detached) state after p steps of the stream, kept while a later window may start there.
      const kept = new Map<number, tf.Tensor[]>([[0, model.initialState(streams)]]);
      let lossSum = 0;
      for (let update = 0; update < updatesPerEpoch; update++) {
        const end = (update + 1) * k1;
        const start = Math.max(0, end - k2);
        const nextStart = Math.max(0, end + k1 - k2);
        const window = tf.tidy(() => ({ xs: data.xs.slice([0, start], [streams, end - start]), ys: data.ys.slice([0, start], [streams, end - start]) }));
        let carried: tf.Tensor[] = [];
        const { value, grads } = tf.variableGrads(() => {
          const { loss, states } = model.runWindow(window.xs, window.ys, kept.get(start)!, {
            lossSteps: end - Math.max(start, end - k1), training: true, seed: (seed + Math.imul(step + 1, 0x9e3779b1)) >>> 0,
          });
          if (nextStart > start) carried = states[nextStart - start - 1]!.map((s) => tf.keep(s.clone()));
          return loss;
        }, [...model.trainableWeights]);
        const { loss, gradientNorm, finite, norm } = await readStepNumbers(value, grads);
        tf.dispose([window.xs, window.ys, value]);
        if (!finite) {
          tf.dispose([grads, carried, norm]);
          throw new TrainingDivergedError(step + 1, loss, lastCheckpoint, gradientNorm);
        }
        tf.tidy(() => optimizer.applyGradients(options.clip ? clipByGlobalNorm(grads, options.clip.norm, norm).clipped : grads));
        tf.dispose([grads, norm]);
        if (nextStart > start) kept.set(nextStart, carried);
        for (const [position, state] of kept) if (position < nextStart) (tf.dispose(state), kept.delete(position));
        step++;
        lossSum += loss;
        task.update(step * k1 * streams, { loss });
        for (const callback of callbacks) await callback.onStep?.(step, loss, { gradientNorm });
      }
      for (const state of kept.values()) tf.dispose(state);
      const log: EpochLog = { epoch: epoch + 1, step, metrics: { loss: lossSum / updatesPerEpoch } };
      history.push(log);
      progress.log(`epoch ${epoch + 1}: loss ${log.metrics.loss!.toFixed(4)}`);
      let stop = false;
      for (const callback of callbacks) if ((await callback.onEpochEnd?.(log)) === 'stop') stop = true;
      if (store) {
        const monitored = log.metrics[monitor];
        const isBest = monitored !== undefined && monitored < best;
        if (isBest) best = monitored;
        const { modelSpecs, optimizerSpecs, data: bytes } = await encodeTrainingState(model, optimizer);
        const state = { history, best, optimizer: options.optimizer };
        lastCheckpoint = store.write({ step, epoch: epoch + 1, batchInEpoch: 0, seed, modelSpecs, optimizerSpecs, state }, bytes, { best: isBest });
      }
      if (stop) return result(true);
    }
    return result(false);
  } finally {
    task.end();
    optimizer.dispose();
  }
}
