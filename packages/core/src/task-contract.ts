import type { ConfigSchema } from './config-schema.js';
import type { Contribution } from './contributions.js';
import type { Kit } from './kit.js';
import type { BatchSource, Metric, TrainableModel } from './training-contract.js';

/** The splits a task can score. */
export type SplitName = 'train' | 'validation' | 'test';

/** How a run wants its batches: the caller's batch size and, for token streams, the BPTT window. */
export interface TaskBatchOptions {
  /** Examples (or parallel streams) per step. */
  readonly batchSize: number;
  /** Truncated BPTT: an update every `k1` tokens through the last `k2` (token streams only). */
  readonly bptt?: { readonly k1: number; readonly k2: number };
}

/** What a task hands the one training loop (`train()` in @nnkit/train): batch sources and, for streams, BPTT. */
export interface TaskTrainingData {
  readonly train: BatchSource;
  readonly validation?: BatchSource;
  /** Present for token streams: the loop carries state from window to window (the model must be a StreamModel). */
  readonly bptt?: { readonly k1: number; readonly k2: number };
  /** Split-level metrics the loop reports on validation each epoch (perplexity, bits per token). */
  readonly metrics?: readonly Metric[];
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
  trainingData(data: D, options: TaskBatchOptions): TaskTrainingData;
  /** The scores of `model` on one split: accuracy; perplexity; exact match, WER, PER, BLEU; caption metrics. */
  evaluate(model: M, data: D, split: SplitName, context: { readonly kit: Kit }): Promise<Record<string, number>>;
  /** Splits of `data` that hold examples (`eval --split` offers these). */
  splits(data: D): readonly SplitName[];
  /** What a saved model keeps of `data` to be used again. */
  saveExtras?(data: D): TaskSaveExtras;
  /** Frees what `data` holds (tensors), where it holds any. */
  dispose?(data: D): void;
}
