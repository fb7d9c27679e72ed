import * as tf from '@tensorflow/tfjs';
import {
  ConfigError,
  DataError,
  type BatchSource,
  type Examples,
  type Metric,
  type OptimizerSpec,
  type ProgressReporter,
  type ProgressTask,
  type StreamModel,
  type SupervisedData,
  type TrainableModel,
} from '@nnkit/core';
import { silentProgress } from '@nnkit/kit';
import { disposeAll } from '@nnkit/ops';
import { clipByGlobalNorm } from '@nnkit/ops';
import { exampleBatches, positiveInteger } from './batches.js';
import { bpttMode } from './bptt-mode.js';
import type { Callback, EpochLog, TrainingRun } from './callbacks.js';
import { checkpointingOf } from './checkpoint-callback.js';
import { startRun } from './checkpoint-run.js';
import { CheckpointStore, type CheckpointOptions, type CheckpointRun } from './checkpoint-store.js';
import { TrainingDivergedError } from './errors.js';
import { isBatchSource } from './evaluate.js';
import type { FolderLock } from './folder-lock.js';
import { learningRateSchedule } from './learning-rate.js';
import { createOptimizer, disposeOptimizer, setLearningRate } from './optimizer.js';
import { nonFiniteParts, readStepNumbers } from './step-numbers.js';
import { supervisedMode } from './supervised-mode.js';
import type { TrainedVariables } from './optimizer-state.js';
import { trainedVariables, variablesOf } from './trained-weights.js';
import { bestWeightsOf, callbackStates, encodeTrainingState, restoreCallbackStates, restoreTrainingState } from './training-state.js';
import type { TrainingMode } from './training-mode.js';

/** How far past its best a validation loss may rise before training stops as diverged (see `divergenceFactor`). */
export const DEFAULT_DIVERGENCE_FACTOR = 10;

/** Splits of training data: examples (batched by the trainer) or batch sources (batched by whoever made them). */
export interface TrainSplits {
  readonly train: Examples | BatchSource;
  readonly validation?: Examples | BatchSource;
}

export interface TrainOptions {
  readonly model: TrainableModel;
  /**
   * What to learn from: a dataset's splits (its `validation` is used unless `validation` is given), plain examples
   * `{ xs, ys }` (batches `{ inputs, targets }`), or a BatchSource (sequence pairs, a dataset's own batches).
   * With `bptt`: token streams `{ xs, ys }` of (streams, length), as `toStreams` makes them.
   */
  readonly data: SupervisedData | Examples | BatchSource | TrainSplits;
  readonly validation?: Examples | BatchSource;
  /** Default: Adam with learning rate 1e-3. A spec (rather than an instance) can be remade from a checkpoint. */
  readonly optimizer?: OptimizerSpec | tf.Optimizer;
  /** How long to train: whole epochs, or a number of optimizer steps (whichever comes first when both are given). */
  readonly epochs?: number;
  readonly steps?: number;
  /** Examples per batch when the data is plain examples. Default 32. */
  readonly batchSize?: number;
  /**
   * A learning-rate schedule: the rate for each epoch (0-based), set at the epoch's start. Default: the optimizer's own.
   * Short for the callback `learningRateSchedule(rateOf)`, run before the others; `stepDecay` and `reduceOnPlateau`
   * are the common schedules.
   */
  readonly learningRate?: (epoch: number) => number;
  /** Gradient clipping: by the global norm of all gradients (the lecture's rule), or elementwise. */
  readonly clip?: { readonly norm: number } | { readonly value: number };
  /**
   * Truncated BPTT over long streams (Williams & Peng 1990): the model must be a StreamModel; an update every k1
   * steps through the last k2, the state carried across windows. Checkpoints are written at the end of each epoch.
   */
  readonly bptt?: { readonly k1: number; readonly k2: number };
  /** Weights not to train (names, or prefixes ending in '/'), besides the model's own `frozen`. They are still saved. */
  readonly freeze?: readonly string[];
  /** Split-level metrics measured on the validation data after each epoch (as `val_<name>`). */
  readonly metrics?: readonly Metric[];
  /** Hooks into the run, called in this order (see `Callback`): schedules, best-weights restore, early stopping, logging. */
  readonly callbacks?: readonly Callback[];
  /** Where and how to write checkpoints: short for the callback `modelCheckpoint(checkpoint, { resume })`. */
  readonly checkpoint?: CheckpointOptions;
  /** Continue from the newest intact checkpoint in `checkpoint.dir`, to the same result as a run never stopped. */
  readonly resume?: boolean;
  /**
   * A validation loss more than this many times its best so far stops training with a TrainingDivergedError, as a
   * non-finite one always does. Its best: the lowest validation loss yet, or on the first epoch the loss the model
   * started from (its first step's). Default 10 (`DEFAULT_DIVERGENCE_FACTOR`); `Infinity` turns the rule off.
   */
  readonly divergenceFactor?: number;
  /** Seeds the shuffling and each step's randomness (dropout). Default 42. */
  readonly seed?: number;
  /** Shuffle plain examples every epoch (default true). */
  readonly shuffle?: boolean;
  readonly progress?: ProgressReporter;
  /** Shown in progress lines. */
  readonly label?: string;
}

export interface TrainResult {
  readonly steps: number;
  readonly history: readonly EpochLog[];
  /** The step the run resumed from, if it did. */
  readonly resumedFrom?: number;
  readonly stoppedEarly: boolean;
  readonly lastCheckpoint?: string;
}

function splitsOf(options: TrainOptions): TrainSplits {
  const data = options.data;
  const splits: TrainSplits = 'train' in data ? data : { train: data };
  return options.validation ? { ...splits, validation: options.validation } : splits;
}

/** An option that a mode has no use for is refused, never silently ignored. */
function refuse(options: TrainOptions, keys: readonly (keyof TrainOptions)[], mode: string, why: string): void {
  const given = keys.filter((key) => options[key] !== undefined);
  if (given.length > 0)
    throw new ConfigError(
      `train ${mode} expects no ${given.join(' or ')}, got ${given.map((k) => `${k} ${JSON.stringify(options[k])}`).join(', ')}: ${why}`,
      given[0],
    );
}

/** The way this run trains, chosen from the options and the data, with the options it can't use refused. */
function chooseMode(options: TrainOptions): TrainingMode {
  const { train: data, validation } = splitsOf(options);
  if (isEmpty(data))
    throw new DataError(
      'train expects training data with at least one example, got an empty split. Check the dataset and its options (a limit of 0?).',
    );
  if (validation !== undefined && isEmpty(validation)) {
    throw new DataError(
      'train expects validation data with at least one example, got an empty split. Leave validation out to train without it.',
    );
  }
  if (options.bptt) {
    refuse(
      options,
      ['batchSize', 'shuffle'],
      'with bptt',
      'the parallel streams are the batch (toStreams(ids, streams) sets it), read in order.',
    );
    refuse(options, ['steps'], 'with bptt', 'it trains whole passes over the streams (give epochs).');
    refuse(options, ['metrics'], 'with bptt', 'validation streams are measured by their loss per token (perplexity is exp(val_loss)).');
    if (options.checkpoint?.everySteps !== undefined)
      throw new ConfigError(
        'train with bptt expects no checkpoint.everySteps: it checkpoints at the end of every epoch, where the carried state restarts.',
        'everySteps',
      );
    if (isBatchSource(data) || (validation && isBatchSource(validation)))
      throw new ConfigError(
        'train with bptt expects token streams { xs, ys } of (streams, length), got a BatchSource. Make them with toStreams(ids, streams).',
      );
    return bpttMode(options.model as StreamModel, data, options.bptt, validation as Examples | undefined);
  }
  let source: BatchSource;
  if (isBatchSource(data)) {
    refuse(options, ['batchSize', 'shuffle'], 'on a BatchSource', 'the source makes and orders its own batches.');
    source = data;
  } else {
    positiveInteger(options.batchSize, 'batchSize', 'train');
    source = exampleBatches(data, { batchSize: options.batchSize ?? 32, shuffle: options.shuffle ?? true });
  }
  const validationSource =
    validation === undefined || isBatchSource(validation) ? validation : exampleBatches(validation, { batchSize: 256, shuffle: false });
  return supervisedMode(options.model, source, validationSource, options.metrics ?? []);
}

function isEmpty(data: Examples | BatchSource): boolean {
  return isBatchSource(data) ? data.batchesPerEpoch === 0 || data.unitsPerEpoch === 0 : data.xs.shape[0] === 0 || data.xs.size === 0;
}

/** Callbacks with state are told apart in checkpoints by name: two with one name would overwrite each other's. */
function checkCallbackNames(callbacks: readonly Callback[]): void {
  const seen = new Set<string>();
  for (const { name, saveState } of callbacks) {
    if (!saveState) continue;
    if (name === undefined)
      throw new ConfigError(
        'train expects every callback with saveState to have a name (it keys the state in checkpoints), got one without.',
        'callbacks',
      );
    if (seen.has(name))
      throw new ConfigError(
        `train expects callbacks with state to have distinct names, got two named '${name}'. Keep one, or name one otherwise.`,
        'callbacks',
      );
    seen.add(name);
  }
}

/** tfjs's `instanceof tf.Optimizer` throws on undefined (it duck-types through `minimize`); this does not. */
function isOptimizer(value: OptimizerSpec | tf.Optimizer): value is tf.Optimizer {
  return typeof (value as tf.Optimizer).applyGradients === 'function';
}

/** `norm`: the gradients' global norm, already measured this step. */
function clip(grads: tf.NamedTensorMap, rule: { readonly norm: number } | { readonly value: number }, norm: tf.Scalar): tf.NamedTensorMap {
  if ('norm' in rule) return clipByGlobalNorm(grads, rule.norm, norm).clipped;
  return Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.clipByValue(g, -rule.value, rule.value)]));
}

/**
 * Gives every trained variable a gradient, zero where the loss did not reach it this step (tfjs's variableGrads
 * leaves such a variable out, and its optimizers keep their slots by position, so one missing gradient would hand
 * every later variable the wrong moments).
 */
function withZeroGradients(grads: tf.NamedTensorMap, trained: TrainedVariables): void {
  for (const { variable } of trained) if (!grads[variable.name]) grads[variable.name] = tf.zerosLike(variable);
}

/**
 * What a resumed run must share with the run it continues, as far as `train` can see: the seed, the batches (their
 * size and how many make an epoch, so the data's size), truncated BPTT's windows and the optimizer, plus what the
 * caller adds (`checkpoint.settings`). The learning rate, clipping and how long to train may change.
 */
function runSettings(
  options: TrainOptions,
  mode: TrainingMode,
  optimizer: OptimizerSpec | undefined,
  seed: number,
): Record<string, unknown> {
  const { source } = mode;
  return {
    seed,
    data: { batchesPerEpoch: source.batchesPerEpoch, size: `${source.unitsPerEpoch} ${source.unit}` },
    ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
    ...(options.bptt && { bptt: options.bptt }),
    ...(optimizer && { optimizer: optimizer.name }),
    ...options.checkpoint?.settings,
  };
}

/**
 * tf.variableGrads, freeing what tfjs leaves behind when `f` throws (a model refusing a batch of the wrong shape): the
 * tensors the forward pass saved on the tape for a backward pass that will not come (tfjs frees them only at its end).
 */
function variableGrads(f: () => tf.Scalar, variables: tf.Variable[]): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  try {
    return tf.variableGrads(f, variables);
  } catch (error) {
    const { state } = tf.engine();
    if (state.gradientDepth === 0 && state.activeTape) {
      for (const node of state.activeTape) tf.dispose(node.saved ?? []);
      state.activeTape = [];
    }
    throw error;
  }
}

/** Each step's seed, from the run's seed and the step: the same on a resumed run as on one never stopped. */
function stepSeed(seed: number, step: number): number {
  return (seed + Math.imul(step + 1, 0x9e3779b1)) >>> 0;
}

/**
 * Trains a model, whatever its data: supervised batches, sequence pairs, or long streams with truncated BPTT.
 * Each step: a batch, the loss (a sum over its weight, so means are exact per token), `tf.variableGrads`, a
 * divergence check, optional clipping, an optimizer step. Around the steps: progress, validation each epoch,
 * callbacks, crash-safe checkpoints and exact resume. A NaN or infinite loss or gradient stops it before the bad
 * update, with a TrainingDivergedError. Every step leaves `tf.memory().numTensors` where it found it.
 */
export async function train(trainOptions: TrainOptions): Promise<TrainResult> {
  // A modelCheckpoint callback, as the checkpoint and resume options it stands for.
  const options = checkpointingOf(trainOptions);
  const { model, seed = 42 } = options;
  const callbacks = [...(options.learningRate ? [learningRateSchedule(options.learningRate)] : []), ...(options.callbacks ?? [])];
  checkCallbackNames(callbacks);
  positiveInteger(options.epochs, 'epochs', 'train');
  positiveInteger(options.steps, 'steps', 'train');
  const divergenceFactor = options.divergenceFactor ?? DEFAULT_DIVERGENCE_FACTOR;
  if (!(divergenceFactor > 1))
    throw new ConfigError(
      `train expects divergenceFactor to be a number above 1 (or Infinity, to turn the rule off), got ${divergenceFactor}.`,
      'divergenceFactor',
    );
  if (options.epochs === undefined && options.steps === undefined) {
    throw new ConfigError('train expects epochs or steps, got neither. Say how long to train: { epochs: 10 } or { steps: 1000 }.');
  }
  if (options.resume && !options.checkpoint) {
    throw new ConfigError('train expects checkpoint.dir when resume is set: resuming reads the newest checkpoint there.');
  }
  const trained = trainedVariables(model, options.freeze);
  const mode = chooseMode(options);
  const { source } = mode;
  const perEpoch = source.batchesPerEpoch;
  const totalSteps = Math.min(options.steps ?? Infinity, (options.epochs ?? Infinity) * perEpoch);
  const given = options.optimizer ?? { name: 'adam', learningRate: 1e-3 };
  const optimizerSpec = isOptimizer(given) ? undefined : given;
  const optimizer = isOptimizer(given) ? given : createOptimizer(given);
  const store = options.checkpoint
    ? new CheckpointStore(options.checkpoint.dir, options.checkpoint.keep, options.checkpoint.storage)
    : undefined;
  const monitor = options.checkpoint?.monitor ?? (mode.validate ? 'val_loss' : 'loss');
  const progress = options.progress ?? silentProgress();
  const unitsPerBatch = source.unitsPerEpoch / perEpoch;
  // The rate the optimizer steps at: its spec's, or (an optimizer passed in) its own field, as tfjs's optimizers keep it.
  let learningRate = optimizerSpec?.learningRate ?? (optimizer as unknown as { learningRate: number }).learningRate;

  let step = 0;
  let epoch = 0;
  let batchInEpoch = 0;
  let history: EpochLog[] = [];
  let best = Infinity;
  // The lowest validation loss so far, or before any, the loss of the first step (the model as it started).
  let bestValidation = Infinity;
  let resumedFrom: number | undefined;
  let lastCheckpoint: string | undefined;
  // The epoch's training loss so far, Σ sum and Σ weight (kept in checkpoints, so a resumed epoch reports the same).
  let lossSum = 0;
  let lossWeight = 0;

  let task: ProgressTask | undefined;
  let lock: FolderLock | undefined;
  let run: CheckpointRun | undefined;
  let completed = false;
  const trainingRun: TrainingRun = {
    model,
    get learningRate() {
      return learningRate;
    },
    set learningRate(rate: number) {
      setLearningRate(optimizer, rate);
      learningRate = rate;
    },
    get resumed() {
      return resumedFrom !== undefined;
    },
    log: (line) => progress.log(line),
    bestCheckpointWeights: async (bestEpoch) => (store ? bestWeightsOf(store, bestEpoch) : undefined),
  };
  try {
    if (store) {
      // Before any step: the folder is this run's alone, writable, with room for a checkpoint (Adam's two moments
      // make one about three times the weights), and its checkpoints belong to this run.
      lock = store.claim({
        room: 3 * 4 * Object.values(model.weights).reduce((n, w) => n + w.size, 0),
        purpose: `train${options.label ? ` (${options.label})` : ''}`,
        onNote: (line) => progress.log(line),
      });
      const started = startRun(store, {
        seed,
        onNote: (line) => progress.log(line),
        resume: Boolean(options.resume),
        overwrite: Boolean(options.checkpoint?.overwrite),
        settings: runSettings(options, mode, optimizerSpec, seed),
        onDamaged: (error) => progress.log(`skipping a damaged checkpoint: ${error.message}`),
      });
      run = started.run;
      const checkpoint = started.checkpoint;
      if (checkpoint) {
        await restoreTrainingState(checkpoint, model, optimizer, trained);
        ({ step, epoch, batchInEpoch } = checkpoint.header);
        const state = checkpoint.header.state as {
          history?: EpochLog[];
          best?: number;
          bestValidation?: number | null;
          lossSum?: number;
          lossWeight?: number;
          callbacks?: Record<string, unknown>;
        };
        ({ history = [], best = Infinity, lossSum = 0, lossWeight = 0 } = state);
        restoreCallbackStates(callbacks, state.callbacks ?? {});
        bestValidation = state.bestValidation ?? Infinity; // JSON writes Infinity as null
        resumedFrom = step;
        lastCheckpoint = checkpoint.path;
        progress.log(`resumed from ${checkpoint.path} (step ${step}, epoch ${epoch + 1}, batch ${batchInEpoch})`);
        if (step >= totalSteps)
          progress.log(
            `nothing left to train: the run in ${store.dir} has done ${step} steps, as many as asked for; give more epochs or steps to train on`,
          );
      }
    }

    /** Writes where training stands: `batchesDone` batches of epoch `epochInProgress` are behind it. */
    const saveCheckpoint = async (isBest: boolean, epochInProgress: number, batchesDone: number) => {
      if (!store) return;
      const { modelSpecs, optimizerSpecs, data } = await encodeTrainingState(model, optimizer, trained);
      const state = {
        history,
        best,
        bestValidation,
        lossSum,
        lossWeight,
        optimizer: optimizerSpec,
        callbacks: callbackStates(callbacks),
      };
      lastCheckpoint = store.write(
        {
          step,
          epoch: epochInProgress,
          batchInEpoch: batchesDone,
          seed,
          modelSpecs,
          optimizerSpecs,
          state,
          ...(run && { run }),
        },
        data,
        { best: isBest },
      );
    };

    // Started after a resume, with the steps done before it: they count toward the total, not the rate.
    task = progress.start(options.label ?? 'training', {
      total: Math.round(totalSteps * unitsPerBatch),
      unit: source.unit,
      done: Math.round(step * unitsPerBatch),
    });
    let stoppedEarly = false;
    for (const callback of callbacks) await callback.onTrainBegin?.(trainingRun);
    while (step < totalSteps && !stoppedEarly) {
      for (const callback of callbacks) await callback.onEpochBegin?.(epoch, trainingRun);
      mode.startEpoch(epoch);
      for (; batchInEpoch < perEpoch && step < totalSteps; batchInEpoch++) {
        const batch = source.batch(epoch, batchInEpoch, seed);
        let weight: tf.Scalar | number = 0;
        let value: tf.Scalar;
        let grads: tf.NamedTensorMap;
        try {
          ({ value, grads } = variableGrads(() => {
            const loss = mode.loss(batch, batchInEpoch, stepSeed(seed, step));
            // A clone, kept: the weight may be one of the batch's own tensors, which are freed before it is read.
            weight = typeof loss.weight === 'number' ? loss.weight : tf.keep(loss.weight.clone());
            // sum × divNoNan(1, weight), not divNoNan(sum, weight): tfjs's divNoNan compares with zerosLike(sum / weight),
            // which puts Equal (no gradient) between the variables and the loss.
            return (
              typeof loss.weight === 'number' ? tf.div(loss.sum, loss.weight) : tf.mul(loss.sum, tf.divNoNan(1, loss.weight))
            ) as tf.Scalar;
          }, variablesOf(trained)));
        } catch (error) {
          disposeAll([batch, weight]); // the model refused the batch (a ShapeError): nothing of the step stays behind
          throw error;
        }
        withZeroGradients(grads, trained);
        const numbers = await readStepNumbers(value, weight, grads, batch);
        disposeAll([value, weight]);
        const overLimit = mode.lossLimit !== undefined && numbers.loss > mode.lossLimit;
        if (!numbers.finite || overLimit || numbers.badParts.length > 0) {
          disposeAll([grads, numbers.norm]);
          // NaN or ±Infinity in the batch itself is bad data, not a learning rate that blew the weights up.
          const bad = numbers.badParts;
          disposeAll(batch);
          if (bad.length > 0) {
            throw new DataError(
              `Training expects finite numbers in its data, got NaN or ±Infinity in the batch's ${bad.map((name) => `'${name}'`).join(' and ')} at step ${step + 1} ` +
                `(epoch ${epoch + 1}, batch ${batchInEpoch + 1}), where the loss was ${numbers.loss}: the data is at fault, not the learning rate. ` +
                `Find the values with tf.isFinite and drop or replace those examples.`,
            );
          }
          throw new TrainingDivergedError(
            step + 1,
            numbers.loss,
            lastCheckpoint,
            numbers.gradientNorm,
            overLimit ? { limit: mode.lossLimit! } : {},
          );
        }
        disposeAll(batch);
        tf.tidy(() => {
          const update = options.clip === undefined ? grads : clip(grads, options.clip, numbers.norm);
          // In the order of `trained`, as a list: tfjs's optimizers keep their slots by position, and a map's keys
          // (tfjs's variable names, '12', '7', …) iterate in numeric order, not in the model's.
          optimizer.applyGradients(trained.map(({ variable }) => ({ name: variable.name, tensor: update[variable.name]! })));
        });
        disposeAll([grads, numbers.norm]);
        mode.commit(batchInEpoch);
        if (step === 0) bestValidation = numbers.loss;
        step++;
        lossSum += numbers.loss * numbers.weight;
        lossWeight += numbers.weight;
        task.update(Math.round(step * unitsPerBatch), { loss: numbers.loss }, { step });
        const stepLog = { epoch: epoch + 1, step, metrics: { loss: numbers.loss, gradientNorm: numbers.gradientNorm } };
        for (const callback of callbacks) await callback.onStep?.(stepLog);
        const endOfEpoch = batchInEpoch + 1 === perEpoch;
        if (options.checkpoint?.everySteps && step % options.checkpoint.everySteps === 0 && !endOfEpoch) {
          await saveCheckpoint(false, epoch, batchInEpoch + 1);
        }
      }
      if (batchInEpoch < perEpoch) break; // out of steps in the middle of an epoch
      const metrics: Record<string, number> = { loss: lossSum / Math.max(lossWeight, Number.MIN_VALUE) };
      if (mode.validate) for (const [name, value] of Object.entries(await mode.validate())) metrics[`val_${name}`] = value;
      const validationLoss = metrics.val_loss;
      // Not `<= limit`: a supervised mode's limit is Infinity, which an infinite loss is not above.
      const overLimit = validationLoss !== undefined && mode.lossLimit !== undefined && validationLoss > mode.lossLimit;
      if (validationLoss !== undefined && (!Number.isFinite(validationLoss) || overLimit)) {
        const { validation } = splitsOf(options);
        const bad =
          validation && !isBatchSource(validation) && !Number.isFinite(validationLoss)
            ? await nonFiniteParts({ xs: validation.xs, ys: validation.ys })
            : [];
        if (bad.length > 0) {
          throw new DataError(
            `Training expects finite numbers in its validation data, got NaN or ±Infinity in ${bad.map((name) => `'${name}'`).join(' and ')}, which made the validation loss ${validationLoss}: ` +
              `the data is at fault, not the learning rate. Find the values with tf.isFinite and drop or replace those examples.`,
          );
        }
        throw new TrainingDivergedError(step, validationLoss, lastCheckpoint, undefined, {
          validation: true,
          ...(overLimit && { limit: mode.lossLimit! }),
        });
      }
      if (validationLoss !== undefined && bestValidation > 0 && validationLoss > divergenceFactor * bestValidation) {
        throw new TrainingDivergedError(step, validationLoss, lastCheckpoint, undefined, {
          validation: true,
          factor: divergenceFactor,
          best: bestValidation,
        });
      }
      if (validationLoss !== undefined && validationLoss < bestValidation) bestValidation = validationLoss;
      const log: EpochLog = { epoch: epoch + 1, step, metrics };
      history.push(log);
      progress.log(
        `epoch ${epoch + 1}: ${Object.entries(metrics)
          .map(([k, v]) => `${k} ${v.toFixed(4)}`)
          .join('  ')}`,
      );
      task.epochEnd?.(log);
      for (const callback of callbacks) if ((await callback.onEpochEnd?.(log)) === 'stop') stoppedEarly = true;
      epoch++;
      batchInEpoch = 0;
      lossSum = 0;
      lossWeight = 0;
      const monitored = metrics[monitor];
      const isBest = monitored !== undefined && monitored < best;
      if (isBest) best = monitored;
      await saveCheckpoint(isBest, epoch, 0);
    }
    if (store && lastCheckpoint !== store.pathFor(step) && step > (resumedFrom ?? 0)) await saveCheckpoint(false, epoch, batchInEpoch);
    completed = true;
    for (const callback of callbacks) await callback.onTrainEnd?.({ completed });
    return {
      steps: step,
      history,
      stoppedEarly,
      ...(resumedFrom !== undefined && { resumedFrom }),
      ...(lastCheckpoint && { lastCheckpoint }),
    };
  } finally {
    // After an error: callbacks free what they hold (a best-weights copy), and change nothing.
    if (!completed) for (const callback of callbacks) await callback.onTrainEnd?.({ completed });
    lock?.release();
    task?.end();
    mode.dispose();
    if (optimizerSpec) disposeOptimizer(optimizer); // made here, so freed here; an optimizer passed in stays the caller's
  }
}
