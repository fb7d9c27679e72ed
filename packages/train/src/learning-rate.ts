import { ConfigError } from '@nnkit/core';
import { decodeNumber, encodeNumber, type Callback, type TrainingRun } from './callbacks.js';

/**
 * Learning-rate schedules as callbacks. Each sets the optimizer's rate through the run (`run.learningRate`), and
 * keeps in checkpoints what it needs to go on at the same rate after a resume.
 */

/** The rate of each epoch (counted from 0), set at its start: `train`'s `learningRate` option is this callback. */
export function learningRateSchedule(rateOf: (epoch: number) => number): Callback {
  return {
    name: 'learningRateSchedule',
    onEpochBegin(epoch, run) {
      run.learningRate = rateOf(epoch);
    },
  };
}

export interface StepDecayOptions {
  /** Epochs trained at the starting rate before the first decay (default 1: the second epoch is the first decayed). */
  readonly after?: number;
  /** Epochs between decays after that (default 1: every epoch). */
  readonly every?: number;
  /** What the rate is multiplied by at each decay (default 0.5: halving). */
  readonly factor?: number;
}

/**
 * The starting rate times `factor` after the first `after` epochs, and again every `every` epochs: epoch e (counted
 * from 0) trains at rate₀ · factor^k, k = 0 before `after`, else 1 + ⌊(e − after) / every⌋. Halving late in training
 * is Luong et al. (2015)'s schedule; `{ after: 1, factor: 0.8 }` is a decay of 20% per epoch.
 */
export function stepDecay({ after = 1, every = 1, factor = 0.5 }: StepDecayOptions = {}): Callback {
  if (!(Number.isInteger(after) && after >= 0))
    throw new ConfigError(`stepDecay expects after to be a whole number of epochs, 0 or more, got ${after}.`, 'after');
  if (!(Number.isInteger(every) && every >= 1))
    throw new ConfigError(`stepDecay expects every to be a whole number of epochs, 1 or more, got ${every}.`, 'every');
  if (!(factor > 0)) throw new ConfigError(`stepDecay expects a positive factor, got ${factor}. 0.5 halves the rate.`, 'factor');
  // The rate the run started with: kept in checkpoints, since a resumed run's optimizer may start at another.
  let initial: number | undefined;
  return {
    name: 'stepDecay',
    onTrainBegin(run) {
      initial ??= run.learningRate;
    },
    onEpochBegin(epoch, run) {
      const decays = epoch < after ? 0 : 1 + Math.floor((epoch - after) / every);
      run.learningRate = initial! * factor ** decays;
    },
    saveState: () => ({ initial }),
    restoreState(state) {
      initial = (state as { initial: number }).initial;
    },
  };
}

export interface ReduceOnPlateauOptions {
  /** The metric to watch, lower being better (default `val_loss`). */
  readonly monitor?: string;
  /** What the rate is multiplied by on a plateau (default 0.5). */
  readonly factor?: number;
  /**
   * How much below the best so far an epoch's value must be to count as progress, as a fraction of the best (default
   * 0: any improvement). Mikolov's RNNLM toolkit halves the rate after an epoch that gains less than 1% (0.01).
   */
  readonly minImprovement?: number;
  /** Epochs without progress tolerated before the rate drops (default 0: it drops after the first). */
  readonly patience?: number;
  /** The value to beat before the first epoch (default: none, so the first epoch is progress): the untrained model's. */
  readonly baseline?: number;
  /** The rate never drops below this (default 0). */
  readonly minRate?: number;
}

/** The schedule's state, as it is written into checkpoints. */
interface PlateauState {
  readonly best: number | string;
  readonly waited: number;
  readonly rate: number | null;
}

/**
 * Lowers the learning rate when `monitor` stops improving (Keras's ReduceLROnPlateau, PyTorch's with a relative
 * threshold): an epoch whose value is above best × (1 − minImprovement) counts as one without progress, and after
 * more than `patience` of them in a row the rate is multiplied by `factor`. The best is the lowest value seen, any
 * improvement counted. An epoch without the metric is passed over.
 */
export function reduceOnPlateau(options: ReduceOnPlateauOptions = {}): Callback & { readonly learningRate: number | undefined } {
  const { monitor = 'val_loss', factor = 0.5, minImprovement = 0, patience = 0, minRate = 0 } = options;
  if (!(factor > 0 && factor < 1))
    throw new ConfigError(`reduceOnPlateau expects a factor between 0 and 1, got ${factor}. 0.5 halves the rate.`, 'factor');
  if (!(minImprovement >= 0 && minImprovement < 1))
    throw new ConfigError(
      `reduceOnPlateau expects minImprovement in [0, 1), got ${minImprovement}. 0.01 asks for 1% better.`,
      'minImprovement',
    );
  if (!(Number.isInteger(patience) && patience >= 0))
    throw new ConfigError(`reduceOnPlateau expects patience to be a whole number of epochs, got ${patience}.`, 'patience');
  let best = options.baseline ?? Infinity;
  let waited = 0;
  // Undefined until the run starts, or a resume gives it back: the optimizer's own until the first drop.
  let rate: number | undefined;
  let run: TrainingRun | undefined;
  return {
    name: 'reduceOnPlateau',
    get learningRate() {
      return rate;
    },
    onTrainBegin(started) {
      run = started;
      if (rate === undefined) rate = run.learningRate;
      else run.learningRate = rate;
    },
    onEpochEnd({ metrics }) {
      const value = metrics[monitor];
      if (value === undefined || !run) return;
      if (value > best * (1 - minImprovement)) waited++;
      else waited = 0;
      if (value < best) best = value;
      if (waited > patience) {
        rate = Math.max(minRate, run.learningRate * factor);
        run.learningRate = rate;
        waited = 0;
      }
    },
    saveState: (): PlateauState => ({ best: encodeNumber(best), waited, rate: rate ?? null }),
    restoreState(state) {
      const saved = state as PlateauState;
      best = decodeNumber(saved.best);
      waited = saved.waited;
      rate = saved.rate ?? undefined;
    },
  };
}
