import * as tf from '@tensorflow/tfjs';
import { ConfigError, type TrainableModel } from '@nnkit/core';
import { decodeNumber, encodeNumber, type Callback, type TrainingRun } from './callbacks.js';

export interface RestoreBestWeightsOptions {
  /** The metric that decides the best epoch, lower being better (default `val_loss`). */
  readonly monitor?: string;
  /**
   * The untrained model's value: given, the weights the run starts with count as epoch 0, and are what the model ends
   * with if no epoch beats it. Default: none (the first epoch with the metric is the first best).
   */
  readonly baseline?: number;
  /**
   * Go back to the best weights as soon as an epoch is no better than them, not only at the end (Mikolov's RNNLM
   * toolkit does, so that training goes on from the best point). Default false.
   */
  readonly restoreOnWorse?: boolean;
}

/** What the callback tells its caller after (or during) training. */
export interface BestWeights {
  /** The epoch (counted from 1; 0: the untrained model) whose weights are kept. */
  readonly bestEpoch: number;
  /** Its value of the monitored metric (Infinity before any). */
  readonly best: number;
}

/** A copy of every weight by name, to go back to. */
function snapshot(model: TrainableModel): tf.NamedTensorMap {
  return Object.fromEntries(Object.entries(model.weights).map(([name, w]) => [name, tf.clone(w)]));
}

/**
 * Keeps a copy of the weights of the epoch with the lowest `monitor` and puts them back into the model when
 * training ends (Keras's `EarlyStopping(restore_best_weights=True)`), or, with `restoreOnWorse`, after every epoch
 * that is no better. The best value and epoch are kept in checkpoints; a resumed run whose best epoch came before it
 * reads that epoch's weights back from the checkpoint folder's `best.ckpt`, which is why it must checkpoint by the same
 * metric (`checkpoint.monitor`). Where the untrained model (a `baseline`) was best before a resume, its weights are in
 * no checkpoint, and the run after the resume keeps the best of its own epochs.
 */
export function restoreBestWeights(options: RestoreBestWeightsOptions = {}): Callback & BestWeights {
  const { monitor = 'val_loss', restoreOnWorse = false } = options;
  let best = options.baseline ?? Infinity;
  let bestEpoch = 0;
  let kept: tf.NamedTensorMap | undefined;
  let run: TrainingRun | undefined;
  const putBack = () => {
    for (const [name, weight] of Object.entries(run!.model.weights)) weight.assign(kept![name]!);
  };
  return {
    name: 'restoreBestWeights',
    get best() {
      return best;
    },
    get bestEpoch() {
      return bestEpoch;
    },
    async onTrainBegin(started) {
      run = started;
      if (!run.resumed) {
        if (options.baseline !== undefined) kept = snapshot(run.model);
        return;
      }
      // The untrained weights are in no checkpoint: if they were best before the resume, they are best of those after it.
      if (bestEpoch === 0) return;
      kept = await run.bestCheckpointWeights(bestEpoch);
      if (!kept) {
        throw new ConfigError(
          `restoreBestWeights on a resumed run expects the checkpoint folder's best.ckpt to hold epoch ${bestEpoch}, its best by '${monitor}', got none or another epoch. ` +
            `Checkpoint with monitor: '${monitor}' so that best.ckpt is the same epoch.`,
          'monitor',
        );
      }
    },
    onEpochEnd({ epoch, metrics }) {
      const value = metrics[monitor];
      if (value === undefined || !run) return;
      if (value < best) {
        tf.dispose(Object.values(kept ?? {}));
        kept = snapshot(run.model);
        best = value;
        bestEpoch = epoch;
      } else if (restoreOnWorse && kept) {
        putBack();
        run.log(
          `${monitor} ${value.toFixed(4)} is no better than epoch ${bestEpoch}'s ${best.toFixed(4)}: back to epoch ${bestEpoch}'s weights`,
        );
      }
    },
    onTrainEnd({ completed }) {
      if (completed && kept) putBack();
      tf.dispose(Object.values(kept ?? {}));
      kept = undefined;
    },
    saveState: () => ({ best: encodeNumber(best), bestEpoch }),
    restoreState(state) {
      const saved = state as { best: number | string; bestEpoch: number };
      best = decodeNumber(saved.best);
      bestEpoch = saved.bestEpoch;
    },
  };
}
