import { join, resolve } from 'node:path';
import { ConfigError, type OptimizerSpec, type SupervisedData, type TrainableModel } from '@nnkit/core';
import { saveModel, train } from '@nnkit/train';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';

function integerOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} expects an integer ≥ 1, got '${String(value)}'.`);
  return n;
}

function numberOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0)) throw new UsageError(`--${name} expects a positive number, got '${String(value)}'.`);
  return n;
}

export const trainCommand: Command = {
  name: 'train',
  usage: 'train <model>',
  summary: 'train a registered model on its dataset; checkpoints and the saved model go to --out',
  positionals: { min: 1, max: 1 },
  options: {
    preset: { type: 'string', description: 'a named preset of the model (nnkit info <model> lists them)' },
    config: { type: 'string', description: 'config overrides as JSON: \'{"units": 32}\'' },
    dataset: { type: 'string', description: "a registered dataset (default: the model's own)" },
    epochs: { type: 'string', description: "epochs to train (default: the model's)" },
    'batch-size': { type: 'string', description: "examples per step (default: the model's, else 32)" },
    'learning-rate': { type: 'string', description: "the optimizer's learning rate (default: the model's)" },
    'clip-norm': { type: 'string', description: 'clip gradients by their global norm' },
    out: { type: 'string', description: 'folder for checkpoints and the model (default: nnkit-out/<model>)' },
    resume: { type: 'boolean', description: 'continue from the newest intact checkpoint in --out' },
  },
  async run({ positionals, values, kit: makeKit, print, json }) {
    const key = positionals[0]!;
    let overrides: Record<string, unknown> = {};
    if (values.config !== undefined) {
      try {
        overrides = JSON.parse(String(values.config)) as Record<string, unknown>;
      } catch (error) {
        throw new UsageError(`--config expects JSON, got ${String(values.config)} (${(error as Error).message}).`);
      }
    }
    const epochsFlag = integerOption(values.epochs, 'epochs');
    const batchFlag = integerOption(values['batch-size'], 'batch-size');
    const learningRate = numberOption(values['learning-rate'], 'learning-rate');
    const clipNorm = numberOption(values['clip-norm'], 'clip-norm');
    const kit = await makeKit();
    const definition = kit.registry.models.get(key);
    const defaults = definition.training ?? {};
    const datasetKey = (values.dataset as string | undefined) ?? defaults.dataset;
    if (!datasetKey) throw new ConfigError(`Model '${key}' names no dataset of its own: pass --dataset <name> (nnkit list datasets).`);
    const out = resolve(String(values.out ?? join('nnkit-out', key.replace('/', '-'))));
    const instance = await kit.createModel<TrainableModel>(key, {
      ...(values.preset !== undefined && { preset: String(values.preset) }),
      config: overrides,
    });
    const datasetOptions = defaults.dataset === datasetKey ? (defaults.datasetOptions ?? {}) : {};
    const data = await kit.loadDataset<SupervisedData>(datasetKey, datasetOptions);
    const optimizer: OptimizerSpec = { ...(defaults.optimizer ?? { name: 'adam', learningRate: 1e-3 }), ...(learningRate !== undefined && { learningRate }) };
    try {
      const result = await train({
        model: instance.model,
        data,
        optimizer,
        epochs: epochsFlag ?? defaults.epochs ?? 10,
        batchSize: batchFlag ?? defaults.batchSize ?? 32,
        ...((clipNorm ?? defaults.clipNorm) !== undefined && { clip: { norm: (clipNorm ?? defaults.clipNorm)! } }),
        checkpoint: { dir: join(out, 'checkpoints') },
        resume: Boolean(values.resume),
        seed: kit.random.derive(`train/${key}`),
        progress: json ? { ...kit.progress, log: () => {} } : kit.progress,
        label: key,
      });
      const metrics = result.history.at(-1)?.metrics ?? {};
      const saved = await saveModel(out, instance, {
        dataset: { key: datasetKey, options: datasetOptions },
        metrics,
        steps: result.steps,
        ...(data.vocabulary && { vocabulary: data.vocabulary }),
      });
      const summary = { model: key, out, saved, steps: result.steps, epochs: result.history.length, metrics, ...(result.resumedFrom !== undefined && { resumedFrom: result.resumedFrom }) };
      print(summary, () =>
        [`trained ${key}: ${result.steps} steps${result.resumedFrom !== undefined ? ` (resumed from step ${result.resumedFrom})` : ''}`,
          ...Object.entries(metrics).map(([k, v]) => `  ${k} ${v.toFixed(4)}`),
          `saved to ${saved}`].join('\n'),
      );
    } finally {
      instance.model.dispose?.();
      data.dispose();
    }
  },
};
