import type * as tf from '@tensorflow/tfjs';

/**
 * A batch: named tensors, each batch-major. The names are a convention between a model and its data:
 * `inputs` and `targets` for supervised examples; `inputs`, `targets` (streams, steps) for token streams;
 * `source`, `sourceMask`, `targetInput`, `targetOutput`, `targetMask` for sequence pairs. A mask holds 1 at
 * real positions and 0 at padding.
 */
export type Batch = Readonly<Record<string, tf.Tensor>>;

/**
 * A sum over a batch and the weight it is a sum over (examples, or real tokens), so that a mean over batches of
 * different padding is exact: Σ sum / Σ weight over a split, never a mean of per-batch means.
 */
export interface WeightedSum {
  readonly sum: tf.Scalar;
  readonly weight: tf.Scalar | number;
}

/**
 * A model's variables by stable name (`layer0/kernel`, `C1/bias`): saved models and checkpoints match weights
 * by these names, never by position, as PyTorch's `state_dict()` does.
 */
export type WeightMap = Readonly<Record<string, tf.Variable>>;

export interface LossOptions {
  /** False during evaluation (no dropout). */
  readonly training: boolean;
  /** Seeds the step's randomness (dropout), so that a resumed run repeats it exactly. */
  readonly seed?: number;
}

/**
 * What a model must offer to be trained, evaluated, saved and loaded by @nnkit/train and the `nnkit` command.
 * Plugins implement it; the trainer knows nothing else about a model.
 */
export interface TrainableModel {
  /** Every variable, by stable name: all are saved; all but the frozen ones are trained. */
  readonly weights: WeightMap;
  /**
   * Weights the optimizer leaves alone (still saved and loaded): names, or prefixes ending in `/` (`encoder/`).
   * The trainer's `freeze` option adds to these.
   */
  readonly frozen?: readonly string[];
  /**
   * The loss of a batch as a sum and its weight (for a sequence model: the sum over real tokens and their
   * count). The trainer minimizes sum / weight. Called inside `tf.variableGrads`, so it must compute from the
   * variables (not from cached values).
   */
  loss(batch: Batch, options: LossOptions): WeightedSum;
  /** The model's output for a batch of inputs: class probabilities, next-token distributions, … Optional. */
  predict?(inputs: tf.Tensor): tf.Tensor;
  /**
   * Metrics besides the loss, each a sum and its weight (`accuracy`: correct examples, examples). Evaluation
   * accumulates both over a split and divides at the end. Optional.
   */
  metrics?(batch: Batch): Record<string, WeightedSum>;
  /** Frees the model's variables. */
  dispose?(): void;
}

/**
 * A metric that needs the whole split before it can be computed (BLEU, word error rate, perplexity): evaluation
 * calls `start()` once per pass, `add` for every batch, then `result()`.
 */
export interface Metric {
  readonly name: string;
  start(): MetricAccumulator;
}

export interface MetricAccumulator {
  /** `loss` is the batch's loss as numbers, for metrics derived from it (perplexity). */
  add(batch: Batch, model: TrainableModel, loss: { readonly sum: number; readonly weight: number }): void | Promise<void>;
  result(): number;
}

/**
 * Batches for one pass over a split, addressable by (epoch, index) so that a resumed run sees exactly the batches
 * an uninterrupted one would. Made by @nnkit/train (`exampleBatches`, `sequencePairBatches`) or by a dataset.
 */
export interface BatchSource {
  /** Batches in one pass. */
  readonly batchesPerEpoch: number;
  /** What progress counts (`ex` examples, `tok` tokens) and how many of them one pass holds. */
  readonly unit: string;
  readonly unitsPerEpoch: number;
  /** Batch `index` of pass `epoch`; the same (epoch, index, seed) always gives the same batch. The caller disposes it. */
  batch(epoch: number, index: number, seed: number): Batch;
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

export interface WindowOptions extends LossOptions {
  /** The loss covers the window's last `lossSteps` steps; earlier ones only carry state and gradient. */
  readonly lossSteps: number;
}

/**
 * A recurrent model trained on one long stream with truncated back-propagation through time (`bptt` mode):
 * the hidden state carries from one window to the next instead of restarting at zero.
 */
export interface StreamModel extends TrainableModel {
  /** The zero state for `batchSize` parallel streams: one tensor per component. */
  initialState(batchSize: number): tf.Tensor[];
  /**
   * Runs a window from `state`. The batch holds `inputs` and `targets`, (streams, steps): the input and the target
   * at each step. Returns the loss over the window's last `lossSteps` steps (a sum and its token count) and the
   * state after each step (`states[t]` after step t + 1).
   */
  runWindow(batch: Batch, state: readonly tf.Tensor[], options: WindowOptions): { loss: WeightedSum; states: tf.Tensor[][] };
}

/** One training pair of token-id sequences (a spelling and its phones, a date and its ISO form). */
export interface SequencePair {
  readonly source: readonly number[];
  readonly target: readonly number[];
}

/**
 * A source and every target that counts as right for it: CMUdict lists several pronunciations for some words, and
 * at evaluation any of them counts (as the G2P literature scores it). Training uses every (source, target) pair.
 */
export interface SequenceExample {
  readonly source: readonly number[];
  readonly targets: readonly (readonly number[])[];
}

/** Symbols as ids and back; ids 0–3 are always `<pad>`, `<s>`, `</s>`, `<unk>`. */
export interface SymbolVocabulary {
  readonly tokens: readonly string[];
  id(token: string): number;
  encode(tokens: readonly string[]): number[];
  decode(ids: readonly number[]): string[];
}

/**
 * What a sequence-to-sequence dataset's `load()` returns (G2P, date normalization, translation): examples per split
 * and the two vocabularies. `sequencePairBatches` (in @nnkit/train) batches `pairs(split)` with the vocabularies'
 * `<s>` and `</s>`.
 */
export interface SequencePairCorpus {
  readonly kind: 'sequence-pairs';
  readonly train: readonly SequenceExample[];
  readonly validation: readonly SequenceExample[];
  readonly test: readonly SequenceExample[];
  readonly sourceVocabulary: SymbolVocabulary;
  readonly targetVocabulary: SymbolVocabulary;
  /** How tokens join back into text for display: '' for characters and digits, ' ' for phones or words. */
  readonly sourceSeparator: string;
  readonly targetSeparator: string;
}

/**
 * One split of an image-caption dataset: `count` images of the corpus's `imageShape`, stored row-major in one array
 * (grey levels in [0, 1]), and each image's caption as token ids (without `<s>` and `</s>`).
 */
export interface CaptionedImages {
  readonly count: number;
  /** count × height × width × channels values in [0, 1]. */
  readonly pixels: Float32Array;
  readonly captions: readonly (readonly number[])[];
}

/**
 * What an image-captioning dataset's `load()` returns (digit scenes described in words, lines of handwritten
 * digits read as digit strings): images and captions per split, and the captions' vocabulary. `captionBatches`
 * (in @nnkit/train) batches a split into `images`, `targetInput`, `targetOutput` and `targetMask`.
 */
export interface ImageCaptionCorpus {
  readonly kind: 'image-captions';
  /** (height, width, channels) of every image. */
  readonly imageShape: readonly [number, number, number];
  readonly train: CaptionedImages;
  readonly validation: CaptionedImages;
  readonly test: CaptionedImages;
  readonly vocabulary: SymbolVocabulary;
  /** How caption tokens join back into text: ' ' for words, '' for digit strings. */
  readonly separator: string;
}
