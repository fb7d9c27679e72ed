import * as tf from '@tensorflow/tfjs';
import {
  ConfigError,
  ShapeError,
  silentProgress,
  type Examples,
  type OptimizerSpec,
  type ProgressReporter,
  type StreamModel,
  type SupervisedData,
  type TrainableModel,
} from '@nnkit/core';
import { clipByGlobalNorm } from '@nnkit/ops';
import { batchCount, epochOrder, gatherBatch } from './batches.js';
import type { EpochLog, TrainingCallbacks } from './callbacks.js';
import { CheckpointStore, type CheckpointOptions } from './checkpoint-store.js';
import { TrainingDivergedError } from './errors.js';
import { trainStream } from './train-stream.js';
import { evaluate } from './evaluate.js';
import { createOptimizer, setLearningRate } from './optimizer.js';
import { readStepNumbers } from './step-numbers.js';
import { encodeTrainingState, restoreTrainingState } from './training-state.js';


export interface TrainOptions {
  readonly model: TrainableModel;
  /** A dataset's splits (its `validation` is used unless `validation` is given) or the training examples alone. */
  readonly data: SupervisedData | Examples;
  readonly validation?: Examples;
  /** Default: Adam with learning rate 1e-3. A spec (rather than an instance) can be remade from a checkpoint. */
  readonly optimizer?: OptimizerSpec | tf.Optimizer;
  /** How long to train: whole epochs, or a number of optimizer steps (whichever comes first when both are given). */
  readonly epochs?: number;
  readonly steps?: number;
  /** Default 32. */
  readonly batchSize?: number;
  /** A learning-rate schedule: the rate for each epoch (0-based), set at the epoch's start. Default: the optimizer's own. */
  readonly learningRate?: (epoch: number) => number;
  /** Gradient clipping: by the global norm of all gradients (the lecture's rule), or elementwise. */
  readonly clip?: { readonly norm: number } | { readonly value: number };
  /**
   * Truncated BPTT over one long stream (Williams & Peng 1990): the model must be a StreamModel and the data
   * (streams, length) sequences; see `trainStream`. Checkpoints are written at the end of each epoch.
   */
  readonly bptt?: { readonly k1: number; readonly k2: number };
  readonly callbacks?: readonly TrainingCallbacks[];
  readonly checkpoint?: CheckpointOptions;
  /** Continue from the newest intact checkpoint in `checkpoint.dir`, to the same result as a run never stopped. */
  readonly resume?: boolean;
  /** Seeds the shuffling and each step's randomness (dropout). Default 42. */
  readonly seed?: number;
  /** Shuffle the training examples every epoch (default true). */
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

function trainingExamples(data: SupervisedData | Examples): { train: Examples; validation?: Examples } {
  return 'train' in data ? data : { train: data };
}

function positiveInteger(value: number | undefined, name: string): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
    throw new ConfigError(`train expects ${name} to be an integer ≥ 1, got ${value}.`, name);
  }
}

/**
 * Trains a model: batches from the data, the loss, `tf.variableGrads`, optional clipping, an optimizer step;
 * progress, validation each epoch, callbacks, crash-safe checkpoints. A NaN or infinite loss stops it before the
 * bad update, with a TrainingDivergedError. Every step leaves `tf.memory().numTensors` where it found it.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  if (options.bptt) return trainInBpttMode(options, options.bptt);
  const { model, batchSize = 32, seed = 42, shuffle = true, callbacks = [] } = options;
  positiveInteger(options.epochs, 'epochs');
  positiveInteger(options.steps, 'steps');
  positiveInteger(batchSize, 'batchSize');
  if (options.epochs === undefined && options.steps === undefined) {
    throw new ConfigError('train expects epochs or steps, got neither. Say how long to train: { epochs: 10 } or { steps: 1000 }.');
  }
  if (options.resume && !options.checkpoint) {
    throw new ConfigError('train expects checkpoint.dir when resume is set: resuming reads the newest checkpoint there.');
  }
  const { train: examples, validation: splitValidation } = trainingExamples(options.data);
  const validation = options.validation ?? splitValidation;
  const exampleCount = examples.xs.shape[0]!;
  if (examples.ys.shape[0] !== exampleCount) {
    throw new ShapeError(`train expects as many targets as inputs, got ${exampleCount} inputs and ${examples.ys.shape[0]} targets.`);
  }
  const perEpoch = batchCount(exampleCount, batchSize);
  const totalSteps = Math.min(options.steps ?? Infinity, (options.epochs ?? Infinity) * perEpoch);
  const given = options.optimizer ?? { name: 'adam', learningRate: 1e-3 };
  const optimizerSpec = isOptimizer(given) ? undefined : given;
  const optimizer = isOptimizer(given) ? given : createOptimizer(given);
  const store = options.checkpoint ? new CheckpointStore(options.checkpoint.dir, options.checkpoint.keep) : undefined;
  const monitor = options.checkpoint?.monitor ?? (validation ? 'val_loss' : 'loss');
  const progress = options.progress ?? silentProgress();

  let step = 0;
  let epoch = 0;
  let batchInEpoch = 0;
  let history: EpochLog[] = [];
  let best = Infinity;
  let resumedFrom: number | undefined;
  let lastCheckpoint: string | undefined;
  // The running mean of the epoch's training loss (kept in checkpoints, so a resumed epoch reports the same).
  let epochLoss = 0;
  let epochBatches = 0;

  if (options.resume && store) {
    const checkpoint = store.latest((error) => progress.log(`skipping a damaged checkpoint: ${error.message}`));
    if (checkpoint) {
      await restoreTrainingState(checkpoint, model, optimizer);
      ({ step, epoch, batchInEpoch } = checkpoint.header);
      const state = checkpoint.header.state as { history?: EpochLog[]; best?: number; epochLoss?: number; epochBatches?: number };
      history = state.history ?? [];
      best = state.best ?? Infinity;
      epochLoss = state.epochLoss ?? 0;
      epochBatches = state.epochBatches ?? 0;
      resumedFrom = step;
      lastCheckpoint = checkpoint.path;
      progress.log(`resumed from ${checkpoint.path} (step ${step}, epoch ${epoch + 1}, batch ${batchInEpoch})`);
    }
  }

  /** Writes where training stands: `batchesDone` batches of epoch `epochInProgress` are behind it. */
  const saveCheckpoint = async (isBest: boolean, epochInProgress: number, batchesDone: number) => {
    if (!store) return;
    const { modelSpecs, optimizerSpecs, data } = await encodeTrainingState(model, optimizer);
    lastCheckpoint = store.write(
      { step, epoch: epochInProgress, batchInEpoch: batchesDone, seed, modelSpecs, optimizerSpecs, state: { history, best, epochLoss, epochBatches, optimizer: optimizerSpec } },
      data,
      { best: isBest },
    );
  };

  const task = progress.start(options.label ?? 'training', { total: totalSteps * batchSize, unit: 'ex' });
  let stoppedEarly = false;
  while (step < totalSteps && !stoppedEarly) {
    if (options.learningRate) setLearningRate(optimizer, options.learningRate(epoch));
    const order = epochOrder(exampleCount, seed, epoch, shuffle);
    for (; batchInEpoch < perEpoch && step < totalSteps; batchInEpoch++) {
      const batch = gatherBatch(examples, order, batchInEpoch, batchSize);
      const stepSeed = (seed + Math.imul(step + 1, 0x9e3779b1)) >>> 0;
      const { value, grads } = tf.variableGrads(() => model.loss(batch.xs, batch.ys, { training: true, seed: stepSeed }), [...model.trainableWeights]);
      const { loss, gradientNorm, finite, norm } = await readStepNumbers(value, grads);
      if (!finite) {
        tf.dispose([batch.xs, batch.ys, value, grads, norm]);
        task.end();
        if (optimizerSpec) optimizer.dispose();
        throw new TrainingDivergedError(step + 1, loss, lastCheckpoint, gradientNorm);
      }
      tf.tidy(() => {
        const update = options.clip === undefined ? grads : clip(grads, options.clip, norm);
        optimizer.applyGradients(update);
      });
      tf.dispose([batch.xs, batch.ys, value, grads, norm]);
      step++;
      epochLoss += loss;
      epochBatches++;
      task.update(step * batchSize, { loss });
      for (const callback of callbacks) await callback.onStep?.(step, loss, { gradientNorm });
      const endOfEpoch = batchInEpoch + 1 === perEpoch;
      if (store && options.checkpoint?.everySteps && step % options.checkpoint.everySteps === 0 && !endOfEpoch) {
        await saveCheckpoint(false, epoch, batchInEpoch + 1);
      }
    }
    if (batchInEpoch < perEpoch) break; // out of steps in the middle of an epoch
    const metrics: Record<string, number> = { loss: epochLoss / Math.max(1, epochBatches) };
    if (validation) {
      for (const [name, value] of Object.entries(await evaluate(model, validation))) metrics[`val_${name}`] = value;
    }
    const log: EpochLog = { epoch: epoch + 1, step, metrics };
    history.push(log);
    progress.log(`epoch ${epoch + 1}: ${Object.entries(metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join('  ')}`);
    for (const callback of callbacks) if ((await callback.onEpochEnd?.(log)) === 'stop') stoppedEarly = true;
    epoch++;
    batchInEpoch = 0;
    epochLoss = 0;
    epochBatches = 0;
    const monitored = metrics[monitor];
    const isBest = monitored !== undefined && monitored < best;
    if (isBest) best = monitored;
    await saveCheckpoint(isBest, epoch, 0);
  }
  if (store && lastCheckpoint !== store.pathFor(step) && step > (resumedFrom ?? 0)) await saveCheckpoint(false, epoch, batchInEpoch);
  task.end();
  if (optimizerSpec) optimizer.dispose(); // made here, so freed here; an optimizer passed in stays the caller's
  return { steps: step, history, stoppedEarly, ...(resumedFrom !== undefined && { resumedFrom }), ...(lastCheckpoint && { lastCheckpoint }) };
}

async function trainInBpttMode(options: TrainOptions, bptt: { readonly k1: number; readonly k2: number }): Promise<TrainResult> {
  const model = options.model as StreamModel;
  if (typeof model.runWindow !== 'function' || typeof model.initialState !== 'function') {
    throw new ConfigError('train with bptt expects a StreamModel (initialState and runWindow), got a model without runWindow.');
  }
  if (options.steps !== undefined || options.epochs === undefined || options.checkpoint?.everySteps !== undefined) {
    throw new ConfigError('train with bptt expects epochs, and no steps or checkpoint.everySteps: it runs and checkpoints whole passes over the stream.');
  }
  if (options.optimizer !== undefined && isOptimizer(options.optimizer)) {
    throw new ConfigError('train with bptt expects an optimizer spec ({ name, learningRate }), got an optimizer instance.');
  }
  if (options.clip !== undefined && !('norm' in options.clip)) throw new ConfigError('train with bptt expects clip: { norm }, got clip: { value }.');
  const { train: stream } = trainingExamples(options.data);
  const result = await trainStream({
    model,
    data: stream,
    bptt,
    epochs: options.epochs,
    ...(options.optimizer !== undefined && { optimizer: options.optimizer }),
    ...(options.clip !== undefined && { clip: options.clip }),
    ...(options.learningRate !== undefined && { learningRate: options.learningRate }),
    ...(options.callbacks !== undefined && { callbacks: options.callbacks }),
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.progress !== undefined && { progress: options.progress }),
    ...(options.label !== undefined && { label: options.label }),
    ...(options.checkpoint !== undefined && { checkpoint: options.checkpoint }),
    ...(options.resume !== undefined && { resume: options.resume }),
  });
  return result;
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

