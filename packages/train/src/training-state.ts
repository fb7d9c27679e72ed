import * as tf from '@tensorflow/tfjs';
import type { TrainableModel } from '@nnkit/core';
import type { Callback } from './callbacks.js';
import { readCheckpoint, type Checkpoint, type CheckpointStore } from './checkpoint-store.js';
import { encodeOptimizerState, restoreOptimizerState, type TrainedVariables } from './optimizer-state.js';
import { assignWeights, byteLength, decodeWeights, encodeModelWeights } from './weights-codec.js';

/** A checkpoint's payload: the model's weights, then the optimizer's state (Adam's moments, …), one byte array, all by name. */
export async function encodeTrainingState(model: TrainableModel, optimizer: tf.Optimizer, trained: TrainedVariables) {
  const modelWeights = await encodeModelWeights(model);
  const optimizerWeights = await encodeOptimizerState(optimizer, trained);
  const data = new Uint8Array(modelWeights.data.length + optimizerWeights.data.length);
  data.set(modelWeights.data, 0);
  data.set(optimizerWeights.data, modelWeights.data.length);
  return { modelSpecs: modelWeights.specs, optimizerSpecs: optimizerWeights.specs, data };
}

/** Puts a checkpoint's weights into the model and its state into the optimizer, both matched by name. */
export async function restoreTrainingState(
  checkpoint: Checkpoint,
  model: TrainableModel,
  optimizer: tf.Optimizer,
  trained: TrainedVariables,
): Promise<void> {
  const { modelSpecs, optimizerSpecs } = checkpoint.header;
  const modelBytes = byteLength(modelSpecs);
  const modelTensors = decodeWeights(checkpoint.data.subarray(0, modelBytes), modelSpecs);
  try {
    assignWeights(model, modelTensors, `Checkpoint ${checkpoint.path}`);
  } finally {
    tf.dispose(Object.values(modelTensors));
  }
  if (optimizerSpecs.length > 0)
    await restoreOptimizerState(optimizer, checkpoint.data.subarray(modelBytes), optimizerSpecs, trained, `Checkpoint ${checkpoint.path}`);
}

/** Every stateful callback's state by its name, for a checkpoint's header. */
export function callbackStates(callbacks: readonly Callback[]): Record<string, unknown> {
  return Object.fromEntries(callbacks.filter((c) => c.saveState).map((c) => [c.name!, c.saveState!()]));
}

/** Hands each callback the state a checkpoint holds under its name (a callback new to the run starts afresh). */
export function restoreCallbackStates(callbacks: readonly Callback[], states: Readonly<Record<string, unknown>>): void {
  for (const callback of callbacks)
    if (callback.name !== undefined && callback.name in states) callback.restoreState?.(states[callback.name]);
}

/** The model weights of `best.ckpt` if it was written at the end of epoch `epoch` (counted from 1), else undefined. */
export function bestWeightsOf(store: CheckpointStore, epoch: number): tf.NamedTensorMap | undefined {
  if (!store.storage.exists(store.bestPath)) return undefined;
  const checkpoint = readCheckpoint(store.bestPath, store.storage);
  if (checkpoint.header.epoch !== epoch || checkpoint.header.batchInEpoch !== 0) return undefined;
  const { modelSpecs } = checkpoint.header;
  return decodeWeights(checkpoint.data.subarray(0, byteLength(modelSpecs)), modelSpecs);
}
