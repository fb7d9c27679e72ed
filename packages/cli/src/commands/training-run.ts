import type { Kit, ModelDefinition, OptimizerSpec } from '@nnkit/core';

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
  readonly quiet: boolean;
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
