import * as tf from '@tensorflow/tfjs';
import {
  ConfigError,
  taskKeyOf,
  type Batch,
  type BatchSource,
  type Kit,
  type ModelDefinition,
  type SplitName,
  type TaskDefinition,
  type TaskTrainingData,
} from '@nnkit/core';
import { isBatchSource, type TrainOptions } from '@nnkit/train';

/** What the model suite needs from its caller to set up: the dataset and its options, and the batch size. */
export interface SetupOptions {
  readonly dataset?: string;
  readonly datasetOptions?: Readonly<Record<string, unknown>>;
  readonly batchSize?: number;
}

/**
 * A model's data, set up through the model's task as `nnkit train` does: the dataset loaded, the config fields the
 * corpus decides, the batches the task makes for the training loop (and how the loop is to run them), one batch of
 * them to check the model on, and the split to score it on.
 */
export interface ModelSetup {
  readonly taskKey: string;
  readonly task: TaskDefinition;
  readonly datasetKey: string;
  readonly data: unknown;
  /** Config fields the task fills from the corpus (vocabulary sizes, image shape). */
  readonly config: Record<string, unknown>;
  readonly training: TaskTrainingData;
  /** How long `train()` runs on `training` in a check: two steps, or one pass over a few windows of streams. */
  readonly length: Pick<TrainOptions, 'steps' | 'epochs' | 'bptt'>;
  /** The first batch of `training.train` (a first window of every stream, for token streams): the suite's to dispose. */
  readonly batch: Batch;
  /** The split `evaluate` scores: validation where the data has one. */
  readonly split: SplitName;
  dispose(): void;
}

/** The window of truncated BPTT the suite trains with: the model's own, cut to 5 steps to stay quick. */
function shortWindow(definition: ModelDefinition): { k1: number; k2: number } | undefined {
  const bptt = definition.training?.bptt;
  return bptt && { k1: Math.min(bptt.k1, 5), k2: Math.min(bptt.k2, 5) };
}

/** The first batch of what the task hands the loop: batch 0 of a BatchSource, or the first window of token streams. */
function firstBatch(train: BatchSource | { xs: tf.Tensor; ys: tf.Tensor }, window: number | undefined): Batch {
  if (isBatchSource(train)) return train.batch(0, 0, 1);
  const [streams, length] = train.xs.shape as [number, number];
  const steps = Math.min(window ?? length, length);
  return {
    inputs: tf.slice(train.xs, [0, 0], [streams, steps]),
    targets: tf.slice(train.ys, [0, 0], [streams, steps]),
  };
}

/** Loads `key`'s data and sets it up through the model's task (see ModelSetup). */
export async function setUpModel(kit: Kit, key: string, options: SetupOptions): Promise<ModelSetup> {
  const definition = kit.registry.models.get(key);
  const taskKey = taskKeyOf(definition);
  const task = kit.registry.tasks.get(taskKey) as TaskDefinition;
  const defaults = definition.training ?? {};
  const datasetKey = options.dataset ?? defaults.dataset;
  if (!datasetKey) {
    throw new ConfigError(
      `testModel('${key}') expects a dataset to train on, got none: the model names none in training.dataset. Pass { dataset: '<namespace>/<name>', datasetOptions } to testModel.`,
      'dataset',
    );
  }
  const data = await kit.loadDataset<unknown>(
    datasetKey,
    options.datasetOptions ?? (datasetKey === defaults.dataset ? defaults.datasetOptions : undefined) ?? {},
  );
  if (!task.accepts(data)) {
    throw new ConfigError(
      `testModel('${key}') expects dataset '${datasetKey}' to hold ${task.holds} (the model learns '${taskKey}'), got data that task does not accept. Pass { dataset } naming a dataset of that kind.`,
      'dataset',
    );
  }
  const bptt = shortWindow(definition);
  const training = task.trainingData(data, {
    batchSize: options.batchSize ?? 4,
    ...(bptt && { bptt }),
    dataset: datasetKey,
  });
  const batch = firstBatch(training.train as BatchSource | { xs: tf.Tensor; ys: tf.Tensor }, bptt?.k1);
  const splits = task.splits(data);
  return {
    taskKey,
    task,
    datasetKey,
    data,
    config: task.configFrom(data, definition.config),
    training,
    length: training.bptt ? { bptt: training.bptt, epochs: 1 } : { steps: 2 },
    batch,
    split: splits.includes('validation') ? 'validation' : splits[0]!,
    dispose() {
      tf.dispose(Object.values(batch));
      training.dispose?.();
      task.dispose?.(data);
    },
  };
}
