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
