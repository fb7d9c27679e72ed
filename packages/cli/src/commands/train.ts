import { join, resolve } from 'node:path';
import { ConfigError, type Kit, type ModelDefinition, type OptimizerSpec, type TaskTrainingData, type TrainableModel } from '@nnkit/core';
import { checkOutputFolder, lockFolder, saveModel, train, type FolderLock } from '@nnkit/train';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';
import { integerLimit, integerOption, jsonObjectOption, numberLimit, numberOption } from '../options.js';
import { disposeData, taskKeyOf, taskOf, wrongKindOfData } from '../data-kinds.js';
import { checkpointsFor, claimOutFolder, createOutFolder, startedSettings } from './training-run.js';

// A bound that keeps a typo (`--epochs 1e12`) from running for years; well past any lecture run. A batch size has
// none: one larger than the data is cut to the data (batchSizeFor), said in one line.
const EPOCHS = { min: 1, max: 10_000 } as const;
const BATCH_SIZE = { min: 1 } as const;

export const trainCommand: Command = {
  name: 'train',
  usage: 'train <model>',
  summary: 'train a registered model on its dataset; checkpoints and the saved model go to --out',
  positionals: { min: 1, max: 1 },
  options: {
    preset: { type: 'string', description: 'a named preset of the model (nnkit info <model> lists them)' },
    config: { type: 'string', description: 'config overrides as JSON: \'{"units": 32}\'', limit: 'a JSON object' },
    dataset: { type: 'string', description: "a registered dataset (default: the model's own)" },
    'dataset-options': {
      type: 'string',
      description: 'options for the dataset as JSON: \'{"trainTokens": 20000}\'',
      limit: 'a JSON object',
    },
    epochs: { type: 'string', description: "epochs to train (default: the model's)", limit: integerLimit(EPOCHS) },
    'batch-size': {
      type: 'string',
      description: "examples per step (default: the model's, else 32; more than the data's examples is cut to them)",
      limit: integerLimit(BATCH_SIZE),
    },
    'learning-rate': {
      type: 'string',
      description: "the optimizer's learning rate (default: the model's)",
      limit: numberLimit({ above: 0 }),
    },
    'clip-norm': {
      type: 'string',
      description: 'clip gradients by their global norm',
      limit: numberLimit({ above: 0 }),
    },
    out: { type: 'string', description: 'folder for checkpoints and the model (default: nnkit-out/<model>)' },
    resume: {
      type: 'boolean',
      description:
        'continue from the newest intact checkpoint in --out, with the settings that run started with (a new --learning-rate or a larger --epochs are fine)',
    },
    overwrite: {
      type: 'boolean',
      description:
        "start a new run in an --out that holds a saved model or another run's checkpoints, replacing them (without it, or --resume, an --out that holds anything is refused)",
    },
  },
  async run({ positionals, values, kit: makeKit, print, json }) {
    const key = positionals[0]!;
    const configFlag = jsonObjectOption(values.config, 'config');
    const datasetOptionsFlag = jsonObjectOption(values['dataset-options'], 'dataset-options');
    const epochsFlag = integerOption(values.epochs, 'epochs', EPOCHS);
    const batchSizeFlag = integerOption(values['batch-size'], 'batch-size', BATCH_SIZE);
    const learningRate = numberOption(values['learning-rate'], 'learning-rate');
    const clipNorm = numberOption(values['clip-norm'], 'clip-norm');
    const kit = await makeKit();
    const definition = kit.registry.models.get(key);
    const defaults = definition.training ?? {};
    const out = resolve(String(values.out ?? join('nnkit-out', key.replace('/', '-'))));
    if (values.resume && values.overwrite)
      throw new UsageError('--resume continues the run in --out and --overwrite replaces it: pass one of them.');
    // A resumed run takes the settings it started with where the command line leaves them out; ones given are
    // compared with them when training starts, and any difference is refused, listed.
    const started = values.resume ? startedSettings(out, key) : {};
    const overrides = values.config === undefined && started.config ? started.config : configFlag;
    const datasetFlags = values['dataset-options'] === undefined && started.datasetOptions ? started.datasetOptions : datasetOptionsFlag;
    const batchFlag = batchSizeFlag ?? started.batchSize;
    const datasetKey = (values.dataset as string | undefined) ?? started.dataset ?? defaults.dataset;
    if (!datasetKey) throw new ConfigError(`Model '${key}' names no dataset of its own: pass --dataset <name> (nnkit list datasets).`);
    // Before any work, creating nothing: --out is a folder nnkit can write to (not a file, not under /proc, writable,
    // room on its disk). Whether what it holds may be replaced is settled just before training (claimOut).
    checkOutputFolder(out, { role: 'The output folder (--out)' });
    const removeCreated = createOutFolder(out);
    // This run's alone until it ends: a second nnkit train into it is refused.
    let outLock: FolderLock;
    try {
      outLock = lockFolder(out, { purpose: `nnkit train ${key}`, onNote: (line) => kit.progress.log(line) });
    } catch (error) {
      removeCreated();
      throw error;
    }
    let trained = false;
    try {
      await trainInto(out, key, definition, datasetKey, {
        values,
        kit,
        print,
        json,
        overrides,
        datasetFlags,
        epochsFlag,
        batchFlag,
        learningRate,
        clipNorm,
      });
      trained = true;
    } finally {
      outLock.release();
      if (!trained) removeCreated(); // a refused or failed run leaves no empty folder behind
    }
  },
};

interface Settled {
  readonly values: Record<string, unknown>;
  readonly kit: Kit;
  readonly print: Parameters<Command['run']>[0]['print'];
  readonly json: boolean;
  readonly overrides: Record<string, unknown>;
  readonly datasetFlags: Record<string, unknown>;
  readonly epochsFlag: number | undefined;
  readonly batchFlag: number | undefined;
  readonly learningRate: number | undefined;
  readonly clipNorm: number | undefined;
}

/**
 * Loads the data, trains and saves into `out`, which is checked, claimed and locked. Everything that depends on the
 * kind of data goes through the model's task: whether the dataset holds it, the config fields the corpus decides and
 * whether the config fits it, the batches, the scores once training ends and what the saved model keeps of the data.
 */
async function trainInto(out: string, key: string, definition: ModelDefinition, datasetKey: string, settled: Settled): Promise<void> {
  const { values, kit, print, json, overrides, datasetFlags, epochsFlag, batchFlag, learningRate, clipNorm } = settled;
  const defaults = definition.training ?? {};
  const task = taskOf(kit, definition);
  const datasetOptions = { ...(defaults.dataset === datasetKey ? defaults.datasetOptions : {}), ...datasetFlags };
  const optimizer: OptimizerSpec = {
    ...(defaults.optimizer ?? { name: 'adam', learningRate: 1e-3 }),
    ...(learningRate !== undefined && { learningRate }),
  };
  const epochs = epochsFlag ?? defaults.epochs ?? 10;
  const preset = values.preset !== undefined ? String(values.preset) : undefined;
  const clip = clipNorm ?? defaults.clipNorm;
  if (defaults.bptt && batchFlag !== undefined)
    throw new UsageError(
      `${key} trains with truncated BPTT on ${defaults.bptt.streams} parallel token streams: --batch-size does not apply to it.`,
    );
  const note = (line: string) => kit.progress.log(line);
  const data = await kit.loadDataset(datasetKey, datasetOptions);
  try {
    if (!task.accepts(data)) throw wrongKindOfData(kit, key, task, datasetKey, data);
    // The corpus fills the fields it decides (vocabulary sizes, image shape) that --config leaves out.
    const filled = Object.entries(task.configFrom(data, definition.config)).filter(([name]) => overrides[name] === undefined);
    const instance = await kit.createModel<TrainableModel>(key, {
      ...(preset !== undefined && { preset }),
      config: { ...Object.fromEntries(filled), ...overrides },
    });
    const { model } = instance;
    try {
      if (!task.fits(model)) {
        throw new ConfigError(
          `Model '${key}' learns the task '${taskKeyOf(definition)}', which expects ${task.learner ?? `a model of ${task.holds}`}, got a model without what that task calls on. Its plugin names the wrong task.`,
        );
      }
      task.check?.(data, instance.config, { model: key, dataset: datasetKey });
      const training = task.trainingData(data, {
        batchSize: defaults.bptt ? defaults.bptt.streams : (batchFlag ?? defaults.batchSize ?? task.batchSize ?? 32),
        ...(defaults.bptt && { bptt: { k1: defaults.bptt.k1, k2: defaults.bptt.k2 } }),
        dataset: datasetKey,
        onNote: note,
      });
      try {
        claimOutFolder(out, { resume: Boolean(values.resume), overwrite: Boolean(values.overwrite) }, note);
        const result = await train({
          model,
          data: { train: training.train, ...(training.validation && { validation: training.validation }) },
          ...(training.bptt && { bptt: training.bptt }),
          ...(training.metrics && { metrics: training.metrics }),
          optimizer,
          epochs,
          ...(clip !== undefined && { clip: { norm: clip } }),
          checkpoint: checkpointsFor(
            { kit, out, overwrite: Boolean(values.overwrite), key, datasetKey, datasetOptions },
            instance.config,
            training.settings,
          ),
          resume: Boolean(values.resume),
          ...(training.describeEpoch && { callbacks: [epochLines(training, json ? () => {} : note)] }),
          seed: kit.random.derive(`train/${key}`),
          progress: json ? { ...kit.progress, log: () => {} } : kit.progress,
          label: key,
        });
        const metrics: Record<string, number> = { ...result.history.at(-1)?.metrics };
        for (const [name, value] of Object.entries((await training.validationScores?.(model)) ?? {})) metrics[`val_${name}`] = value;
        const saved = await saveModel(out, instance, {
          dataset: { key: datasetKey, options: datasetOptions },
          metrics,
          steps: result.steps,
          ...task.saveExtras?.(data),
          onNote: note,
        });
        report(print, key, out, {
          saved,
          steps: result.steps,
          epochs: result.history.length,
          metrics,
          ...(result.resumedFrom !== undefined && { resumedFrom: result.resumedFrom }),
        });
      } finally {
        training.dispose?.();
      }
    } finally {
      model.dispose?.();
    }
  } finally {
    disposeData(kit, datasetKey, data);
  }
}

/** The task's line about each epoch (a language model's validation perplexity), on the run's log. */
function epochLines(training: TaskTrainingData, log: (line: string) => void) {
  return {
    onEpochEnd: ({ epoch, metrics }: { readonly epoch: number; readonly metrics: Readonly<Record<string, number>> }) => {
      const line = training.describeEpoch?.(epoch, metrics);
      if (line !== undefined) log(line);
    },
  };
}

/** What a finished run says: steps, its last metrics and where the model went, or that nothing was left to do. */
function report(
  print: Settled['print'],
  key: string,
  out: string,
  summary: { steps: number; epochs: number; metrics: Record<string, number>; saved: string; resumedFrom?: number },
): void {
  const finished = summary.resumedFrom === summary.steps; // resumed a run that had already done all it was asked
  print({ model: key, out, ...summary, ...(finished && { alreadyFinished: true }) }, () =>
    [
      finished
        ? `nothing left to train: ${key} in ${out} had already done ${summary.epochs} epoch(s), ${summary.steps} steps (pass a larger --epochs to train on)`
        : `trained ${key}: ${summary.steps} steps${summary.resumedFrom !== undefined ? ` (resumed from step ${summary.resumedFrom})` : ''}`,
      ...Object.entries(summary.metrics).map(([k, v]) => `  ${k} ${v.toFixed(4)}`),
      `saved to ${summary.saved}`,
    ].join('\n'),
  );
}
