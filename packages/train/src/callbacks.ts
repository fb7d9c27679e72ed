import type * as tf from '@tensorflow/tfjs';
import type { TrainableModel } from '@nnkit/core';

/**
 * What a callback hears, after every step and after every epoch alike (Keras's `logs`, Lightning's logged
 * metrics): where training is and what it measured there.
 */
export interface TrainingLog {
  /** The epoch (counted from 1) the step belongs to, or that just ended. */
  readonly epoch: number;
  /** Optimizer steps done so far, this one included. */
  readonly step: number;
  /**
   * After a step: `loss` (the batch's) and `gradientNorm` (the global norm of its gradients before clipping, the
   * quantity that explodes, Pascanu et al. 2013). After an epoch: `loss` (the epoch's mean) and, with validation data,
   * `val_loss` and `val_<metric>` for each of the model's metrics and the `metrics` option's.
   */
  readonly metrics: Readonly<Record<string, number>>;
}

/** The log at the end of an epoch (the same shape as a step's). */
export type EpochLog = TrainingLog;

/** The run as a callback sees it: the model, the optimizer's learning rate, and the run's log. */
export interface TrainingRun {
  readonly model: TrainableModel;
  /** The optimizer's learning rate now; a value set here applies from the next step on. */
  learningRate: number;
  /** Whether this run continues a checkpointed one (callbacks have had their state back through `restoreState`). */
  readonly resumed: boolean;
  /** Writes a line where the run's progress goes. */
  log(line: string): void;
  /**
   * The model weights of the checkpoint folder's `best.ckpt` if it holds the end of epoch `epoch` (counted from 1),
   * else undefined (no checkpoints, or the best by another metric). The caller disposes them.
   */
  bestCheckpointWeights(epoch: number): Promise<tf.NamedTensorMap | undefined>;
}

/**
 * A training callback (Keras's `Callback`, Lightning's `Callback`): a plain object with the hooks it needs. The
 * trainer calls each hook of every callback in the order the callbacks were given.
 */
export interface Callback {
  /** Names the callback in messages, and keys its state in checkpoints: unique among a run's callbacks that have state. */
  readonly name?: string;
  /** Before the first step (after a resume restored the state). */
  onTrainBegin?(run: TrainingRun): void | Promise<void>;
  /** At the start of every epoch, and of the rest of one that a resumed run continues; `epoch` counts from 0. */
  onEpochBegin?(epoch: number, run: TrainingRun): void | Promise<void>;
  /** After every optimizer step. */
  onStep?(log: TrainingLog): void | Promise<void>;
  /** After every epoch; return `'stop'` to end training there. */
  onEpochEnd?(log: TrainingLog): void | 'stop' | Promise<void | 'stop'>;
  /** After training, whether it ran to its end (`completed`) or stopped with an error. */
  onTrainEnd?(outcome: { readonly completed: boolean }): void | Promise<void>;
  /**
   * What must survive a resume (a plateau counter, the current rate, the best epoch), as JSON: written into every
   * checkpoint under `name`, and handed back to `restoreState` when a run resumes from it.
   */
  saveState?(): unknown;
  restoreState?(state: unknown): void;
}

/** The former name of `Callback`. */
export type TrainingCallbacks = Callback;

/** Stops when `monitor` (default `val_loss`) has not improved for `patience` epochs. */
export function earlyStopping({ monitor = 'val_loss', patience = 3, mode = 'min' as 'min' | 'max' } = {}): Callback {
  let best = mode === 'min' ? Infinity : -Infinity;
  let waited = 0;
  return {
    name: 'earlyStopping',
    onEpochEnd({ metrics }) {
      const value = metrics[monitor];
      if (value === undefined) return;
      if (mode === 'min' ? value < best : value > best) {
        best = value;
        waited = 0;
        return;
      }
      waited++;
      return waited >= patience ? 'stop' : undefined;
    },
    saveState: () => ({ best: encodeNumber(best), waited }),
    restoreState(state) {
      const saved = state as { best: number | string; waited: number };
      best = decodeNumber(saved.best);
      waited = saved.waited;
    },
  };
}

/** JSON has no Infinity: checkpoints hold it as a string. */
export function encodeNumber(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

export function decodeNumber(value: number | string | null): number {
  return value === null ? Infinity : Number(value);
}
