import type * as tf from '@tensorflow/tfjs';
import type { Batch, TrainableModel, WeightedSum } from '@nnkit/core';
import type { DecoderState, IncrementalDecoder } from './incremental-decoder.js';

/**
 * A sequence model trained with teacher forcing that decodes step by step (the translator, the captioner): the
 * searches here run it, the training loop trains it, and its steps say where they attended.
 */
export interface TrainableDecoder<C> extends TrainableModel, IncrementalDecoder<C> {
  /** Flattened for the IncrementalDecoder contract, every tensor batch-major (so the default gather reorders it for beams). */
  initialState(context: C): tf.Tensor[];
  step(tokens: tf.Tensor1D, state: DecoderState): { logits: tf.Tensor2D; state: tf.Tensor[]; attention?: tf.Tensor2D };
  /** Token accuracy under teacher forcing: correct real target tokens over the real target tokens. */
  metrics(batch: Batch): Record<string, WeightedSum>;
  dispose(): void;
}
