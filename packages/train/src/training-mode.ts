import type * as tf from '@tensorflow/tfjs';
import type { Batch, BatchSource, WeightedSum } from '@nnkit/core';

/**
 * What differs between the ways `train` trains (supervised batches, truncated BPTT over streams): where the
 * batches come from, how a batch becomes a loss, what carries from one step to the next, how to validate. The
 * loop itself (seeds, clipping, divergence, checkpoints, resume, callbacks, progress) is written once, in train.ts.
 */
export interface TrainingMode {
  readonly source: BatchSource;
  /**
   * A loss (training or validation) above this stops training as a non-finite one does. Default: none (only NaN and
   * ±Infinity stop it).
   */
  readonly lossLimit?: number;
  /** Before the epoch's first batch. */
  startEpoch(epoch: number): void;
  /** The loss of batch `index`; runs inside `tf.variableGrads`: what must outlive it is kept (tf.keep) and held here. */
  loss(batch: Batch, index: number, seed: number): WeightedSum;
  /** After the update of batch `index` was applied: adopt what the step carries forward. */
  commit(index: number): void;
  /** Loss and metrics on validation data, by name (`loss`, `accuracy`, …), if there is any. */
  validate?(): Promise<Record<string, number>>;
  /** Frees whatever the mode holds (also after a failed step). */
  dispose(): void;
}

/** Tensors a mode keeps across steps, freed together. */
export type Carried = tf.Tensor[];
