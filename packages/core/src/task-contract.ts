import type { ConfigSchema } from './config-schema.js';
import type { Contribution } from './contributions.js';
import type { Kit } from './kit-contract.js';
import type { BatchSource, Examples, Metric, TrainableModel } from './training-contract.js';

/** The splits a task can score. */
export type SplitName = 'train' | 'validation' | 'test';

/** How a run wants its batches: the caller's batch size and, for token streams, the BPTT window. */
export interface TaskBatchOptions {
  /** Examples (or parallel streams) per step. A batch larger than the data is cut to it, with a note. */
  readonly batchSize: number;
  /** Truncated BPTT: an update every `k1` tokens through the last `k2` (token streams only). */
  readonly bptt?: { readonly k1: number; readonly k2: number };
  /** How messages and notes name the data: the dataset's key (`datasets/dates`). Default `the dataset`. */
  readonly dataset?: string;
  /** Hears what the caller should know but need not stop for: a batch size cut to the data, a split it lacks. */
  readonly onNote?: (line: string) => void;
  /**
   * Token streams only: the parallel streams the validation split is read in after each epoch (default 32). Fewer
   * streams predict fewer tokens without their preceding text; a caller that reports such numbers keeps its own.
   */
  readonly validationStreams?: number;
}

/**
 * What a task hands the one training loop (`train()` in @nnkit/train). `train`, `validation`, `bptt` and `metrics`
 * go to `train()` as they are (`{ data: { train, validation }, bptt, metrics }`); the rest is for the caller.
 */
export interface TaskTrainingData<M extends TrainableModel = TrainableModel> {
  /** Batches; with `bptt`, token streams `{ xs, ys }` of (streams, length) instead (the loop windows them itself). */
  readonly train: BatchSource | Examples;
  readonly validation?: BatchSource | Examples;
  /** Present for token streams: the loop carries state from window to window (the model must be a StreamModel). */
  readonly bptt?: { readonly k1: number; readonly k2: number };
  /** Split-level metrics the loop reports on validation each epoch (perplexity, bits per token). */
  readonly metrics?: readonly Metric[];
  /**
   * What a resumed run must share with the one it continues besides what `train()` sees itself (a BatchSource hides
   * its batch size): a caller adds these to its checkpoint settings.
   */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** A line for a run's log after an epoch (numbered as the loop's log numbers it), where the task has one (a perplexity). */
  describeEpoch?(epoch: number, metrics: Readonly<Record<string, number>>): string | undefined;
  /**
   * Scores that need more than the loop's validation gives (decoding for exact match and BLEU, whole streams for
   * perplexity), measured once on the validation split when training ends; a caller reports them as `val_<name>`.
   * Absent where there is no validation split or nothing to add to the loop's `val_*` metrics.
   */
  validationScores?(model: M): Promise<Record<string, number>>;
  /** Frees what the batch sources hold (token streams' tensors); the data itself stays the caller's. */
  dispose?(): void;
}

/** What a saved model keeps of its data to be used again: its vocabulary or vocabularies and how tokens join. */
export interface TaskSaveExtras {
  readonly vocabulary?: readonly string[];
  readonly separator?: string;
  readonly vocabularies?: {
    readonly source: readonly string[];
    readonly target: readonly string[];
    readonly sourceSeparator: string;
    readonly targetSeparator: string;
  };
  /**
   * How raw input becomes what the model reads, where a program must repeat it on new input: a speech model's
   * front end (sample rate, window, hop, mel bands), so that `nnkit transcribe` computes the features it was trained on.
   */
  readonly features?: Readonly<Record<string, unknown>>;
}

/** How `evaluate` scores: the kit, and for a model that decodes, a beam width and how many examples to decode. */
export interface TaskEvaluateContext {
  readonly kit: Kit;
  /** Beam width for a task that `decodes` (default 1: greedy). */
  readonly beam?: number;
  /** Score at most this many examples of the split (decoding a whole split can take minutes). Default: all. */
  readonly limit?: number;
  /** Token streams only: the parallel streams the split is read in (default 32, as `TaskBatchOptions.validationStreams`). */
  readonly streams?: number;
  /**
   * For a task that `decodes`: where each output (token ids) and its attention (one row per output token, `[]` for a
   * model without attention) go, in the split's order, for callers that show them: a report's examples and
   * attention maps. The same shape as @nnkit/train's `GeneratedOutputs`.
   */
  readonly outputs?: { readonly outputs: number[][]; readonly attention: number[][][] };
}

/** How much a split holds, for reports: `{ count: 10000, unit: 'images', field: 'images' }`. */
export interface SplitSize {
  readonly count: number;
  /** What is counted, in words: `examples`, `tokens`, `sources`, `images`. */
  readonly unit: string;
  /** The name a machine-readable report gives the count (`examples`, `tokens`, `images`). */
  readonly field: string;
}

/**
 * A kind of data and everything that depends on it (fairseq's Task, Lightning's DataModule): which datasets hold it,
 * which models learn it, how it is batched for the one training loop, which config fields the corpus decides, and
 * how a model is scored on it. The CLI's `train` and `eval`, `@nnkit/testing`'s `testModel` and the recipes all go
 * through a task, so a new kind of data is one plugin that contributes a task, and nothing else changes.
 *
 * A model names its task (`ModelDefinition.task`); a dataset may name the task its data is for
 * (`DatasetDefinition.task`), which lets messages say which datasets fit a model.
 */
export interface TaskDefinition<D = unknown, M extends TrainableModel = TrainableModel> extends Contribution {
  /** The data in a few words, for messages: `sequence pairs (sources and their targets)`. */
  readonly holds: string;
  /** The models that learn it, in a few words, for messages: `a classifier, which picks one class, not a sequence`. */
  readonly learner?: string;
  /** Whether its models decode sequences, so that `evaluate` takes a beam width (`nnkit eval --beam`). */
  readonly decodes?: boolean;
  /** Examples per step where neither the run nor the model's training defaults say (32 examples, 64 pairs). */
  readonly batchSize?: number;
  /** Whether a dataset's `load()` gave this kind of data. */
  accepts(data: unknown): data is D;
  /** Whether a model offers what this task calls on (a translator's `translate`, a stream model's `runWindow`). */
  fits(model: unknown): model is M;
  /**
   * Config fields the data decides (vocabulary sizes, image shape), for the fields `schema` has. The caller applies
   * them under its own overrides: an override wins, and `check` then refuses one that cannot fit.
   */
  configFrom(data: D, schema: ConfigSchema): Record<string, unknown>;
  /** Refuses a model config that the data cannot fit (a vocabulary smaller than the corpus's), with a ConfigError. */
  check?(data: D, config: Readonly<Record<string, unknown>>, names: { readonly model: string; readonly dataset: string }): void;
  /** The batch sources (and mode) for training on `data`. Throws a DataError when the data has nothing to train on. */
  trainingData(data: D, options: TaskBatchOptions): TaskTrainingData<M>;
  /** The scores of `model` on one split: accuracy; perplexity; exact match, WER, PER, BLEU; caption metrics. */
  evaluate(model: M, data: D, split: SplitName, context: TaskEvaluateContext): Promise<Record<string, number>>;
  /** Splits of `data` that hold examples (`eval --split` offers these). */
  splits(data: D): readonly SplitName[];
  /** How much one split of `data` holds, for reports. */
  splitSize?(data: D, split: SplitName): SplitSize;
  /** What a saved model keeps of `data` to be used again. */
  saveExtras?(data: D): TaskSaveExtras;
  /** Frees what `data` holds (tensors), where it holds any. */
  dispose?(data: D): void;
}
