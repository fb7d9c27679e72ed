import * as tf from '@tensorflow/tfjs';
import { DataError, type SupervisedData, type TaskDefinition, type TrainableModel } from '@nnkit/core';
import { evaluate, exampleBatches, splitOf } from '@nnkit/train';
import { batchSizeFor } from './batch-size.js';
import { splitsWhere } from './splits.js';

/** Fixed splits of examples `{ xs, ys }` with `dispose()`: what classifiers such as LeNet-5 train on. */
export function isSupervisedData(data: unknown): data is SupervisedData {
  const { train, dispose } = (data ?? {}) as Partial<SupervisedData>;
  return Array.isArray(train?.xs?.shape) && Array.isArray(train?.ys?.shape) && typeof dispose === 'function';
}

/** Any model the training loop can train: it has a loss and named weights. */
export function isTrainable(model: unknown): model is TrainableModel {
  return typeof (model as TrainableModel | undefined)?.loss === 'function' && typeof (model as TrainableModel).weights === 'object';
}

/**
 * Labelled examples in fixed splits (MNIST's digits and their classes): seeded, shuffled batches of `inputs` and
 * `targets` for the training loop; a model is scored by its loss and its own metrics (accuracy) over a split. The data
 * decides nothing in a classifier's config: its input size and classes are the model's to say.
 */
export const labelledImages: TaskDefinition<SupervisedData, TrainableModel> = {
  name: 'labelled-images',
  description: 'labelled examples in fixed splits (images and their classes): batches of inputs and targets; loss and accuracy',
  holds: 'examples (inputs and targets)',
  learner: 'a classifier, which picks one class, not a sequence',
  batchSize: 32,
  accepts: isSupervisedData,
  fits: isTrainable,
  configFrom: () => ({}),
  trainingData(data, { batchSize, dataset = 'the dataset', onNote }) {
    const count = data.train.xs.shape[0]!;
    if (count === 0)
      throw new DataError(
        `Training expects examples in ${dataset}'s train split, got none. Check the dataset and its options (a limit of 0?).`,
      );
    const size = batchSizeFor(batchSize, count, 'examples', onNote);
    return {
      train: exampleBatches(data.train, { batchSize: size, shuffle: true }),
      // As train() batches validation examples it is given: in order, 256 at a time.
      ...(data.validation && { validation: exampleBatches(data.validation, { batchSize: 256, shuffle: false }) }),
      settings: { batchSize: size },
    };
  },
  async evaluate(model, data, split, { limit }) {
    const examples = splitOf(labelledImages, data, split);
    const count = examples.xs.shape[0]!;
    if (limit === undefined || limit >= count) return evaluate(model, examples);
    const first = { xs: examples.xs.slice(0, limit), ys: examples.ys.slice(0, limit) };
    try {
      return await evaluate(model, first);
    } finally {
      tf.dispose([first.xs, first.ys]);
    }
  },
  splits: (data) => splitsWhere((split) => data[split] !== undefined && data[split] !== null),
  splitSize: (data, split) => ({ count: splitOf(labelledImages, data, split).xs.shape[0]!, unit: 'examples', field: 'examples' }),
  saveExtras: (data) => (data.vocabulary ? { vocabulary: data.vocabulary } : {}),
  dispose: (data) => data.dispose(),
};
