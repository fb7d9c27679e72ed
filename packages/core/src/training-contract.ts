import type * as tf from '@tensorflow/tfjs';

/**
 * What a model must offer to be trained, evaluated, saved and loaded by @nnkit/train and the `nnkit` command.
 * Plugins implement it; the trainer knows nothing else about a model.
 */
export interface TrainableModel {
  /** Every variable the optimizer updates and a checkpoint saves, in a fixed order (saved models match by position). */
  readonly trainableWeights: readonly tf.Variable[];
  /**
   * The mean loss of a batch, as a scalar. Called inside `tf.variableGrads`, so it must compute from the
   * variables (not from cached values). `training` is false during evaluation (no dropout).
   */
  loss(xs: tf.Tensor, ys: tf.Tensor, options: { training: boolean; seed?: number }): tf.Scalar;
  /** The model's output for a batch: class probabilities, next-token distribution, … */
  predict(xs: tf.Tensor): tf.Tensor;
  /**
   * Per-batch metrics besides the loss (means over the batch), by name: `{ accuracy }`. The trainer averages
   * them over an epoch, weighted by batch size. Optional.
   */
  metrics?(xs: tf.Tensor, ys: tf.Tensor): Record<string, tf.Scalar>;
  /** Frees the model's variables. */
  dispose?(): void;
}

/** Inputs and targets, example-major: `xs` (examples, …), `ys` (examples, …). */
export interface Examples {
  readonly xs: tf.Tensor;
  readonly ys: tf.Tensor;
}

/** What a supervised dataset's `load()` returns: fixed splits. */
export interface SupervisedData {
  readonly train: Examples;
  readonly validation?: Examples;
  readonly test?: Examples;
  /** The vocabulary, for text: saved with a model so that it can be used again. */
  readonly vocabulary?: readonly string[];
  /** Frees the tensors. */
  dispose(): void;
}

/** How a model is trained by default, so that `nnkit train <model>` needs no flags. */
export interface TrainingDefaults {
  /** The registered dataset it learns from (`mnist/mnist`). */
  readonly dataset?: string;
  /** Options passed to that dataset's `load()`. */
  readonly datasetOptions?: Readonly<Record<string, unknown>>;
  readonly optimizer?: OptimizerSpec;
  readonly batchSize?: number;
  readonly epochs?: number;
  /** Gradient clipping by global norm. */
  readonly clipNorm?: number;
  /**
   * Train on one long token stream with truncated BPTT (the model must be a StreamModel, the dataset give a
   * TokenCorpus): `streams` parallel streams, an update every k1 tokens through the last k2.
   */
  readonly bptt?: { readonly k1: number; readonly k2: number; readonly streams: number };
}

/** What a text dataset's `load()` returns: token ids per split, and the vocabulary they index. */
export interface TokenCorpus {
  readonly train: Int32Array;
  readonly validation?: Int32Array;
  readonly test?: Int32Array;
  readonly vocabulary: { readonly tokens: readonly string[] };
}

/** An optimizer as data, so that a checkpoint can make the same one again. */
export interface OptimizerSpec {
  readonly name: 'sgd' | 'momentum' | 'adam' | 'rmsprop' | 'adagrad';
  readonly learningRate: number;
  /** momentum for 'momentum'; beta1/beta2 for 'adam'; decay for 'rmsprop'. */
  readonly [hyperparameter: string]: unknown;
}

/**
 * A recurrent model trained on one long stream with truncated back-propagation through time (`bptt` mode):
 * the hidden state carries from one window to the next instead of restarting at zero.
 */
export interface StreamModel extends TrainableModel {
  /** The zero state for `batchSize` parallel streams: one tensor per component. */
  initialState(batchSize: number): tf.Tensor[];
  /**
   * Runs a window from `state`. `xs` and `ys` are (streams, steps, …): inputs and targets at each step.
   * Returns the mean loss over the window's last `lossSteps` steps (earlier steps only carry state and
   * gradient) and the state after each step (`states[t]` after step t + 1).
   */
  runWindow(xs: tf.Tensor, ys: tf.Tensor, state: readonly tf.Tensor[], options: { lossSteps: number; training: boolean; seed?: number }): {
    loss: tf.Scalar;
    states: tf.Tensor[][];
  };
}
