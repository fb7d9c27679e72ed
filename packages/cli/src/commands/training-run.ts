import { join } from 'node:path';
import type { Kit, ModelDefinition, OptimizerSpec } from '@nnkit/core';
import type { CheckpointOptions } from '@nnkit/train';

/** What `nnkit train` settles before it trains, whatever the kind of data: the model, its dataset, the optimizer, where to write. */
export interface TrainingRun {
  readonly kit: Kit;
  readonly key: string;
  readonly definition: ModelDefinition;
  readonly preset?: string;
  readonly overrides: Record<string, unknown>;
  readonly datasetKey: string;
  readonly datasetOptions: Record<string, unknown>;
  readonly optimizer: OptimizerSpec;
  readonly epochs: number;
  readonly clipNorm?: number;
  readonly out: string;
  readonly resume: boolean;
  /** A new run deletes another run's checkpoints in `out` rather than being refused. */
  readonly overwrite: boolean;
  readonly quiet: boolean;
}

/**
 * Where `nnkit train` keeps checkpoints (`<out>/checkpoints`), and what a resumed run must share with the one it
 * continues besides what `train` checks itself (seed, batches, data size): the model and its whole config, the
 * dataset and its options, and `extra` (a batch size `train` does not see).
 */
export function checkpointsFor(
  run: Pick<TrainingRun, 'out' | 'overwrite' | 'key' | 'datasetKey' | 'datasetOptions'>,
  config: Readonly<Record<string, unknown>>,
  extra: Readonly<Record<string, unknown>> = {},
): CheckpointOptions {
  return {
    dir: join(run.out, 'checkpoints'),
    overwrite: run.overwrite,
    settings: { model: run.key, config, dataset: run.datasetKey, datasetOptions: run.datasetOptions, ...extra },
  };
}

/**
 * The batch size to train with: a batch larger than the training data is all of it, said in one line (stderr),
 * rather than a silent single step or an attempt to allocate what was asked.
 */
export function batchSizeFor(requested: number, available: number, what: string, log: (line: string) => void): number {
  if (requested <= available) return requested;
  log(`batch size ${requested} is more than the ${available} ${what} to train on: using ${available}, one batch per epoch.`);
  return available;
}
