import type { BatchSource, Metric, TrainableModel } from '@nnkit/core';
import { evaluate } from './evaluate.js';
import type { TrainingMode } from './training-mode.js';

/** Independent batches: each step's loss is the model's loss on its batch; nothing carries between steps. */
export function supervisedMode(
  model: TrainableModel,
  source: BatchSource,
  validation: BatchSource | undefined,
  metrics: readonly Metric[],
): TrainingMode {
  return {
    source,
    startEpoch: () => {},
    loss: (batch, _index, seed) => model.loss(batch, { training: true, seed }),
    commit: () => {},
    ...(validation && {
      validate: () => evaluate(model, validation, { metrics, naming: ['Training', 'its validation data'] }),
    }),
    dispose: () => {},
  };
}
