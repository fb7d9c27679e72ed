import { join, resolve } from 'node:path';
import { ConfigError, type ImageCaptionCorpus, type Kit, type ModelInstance, type ModelDefinition, type OptimizerSpec, type SequencePairCorpus, type SupervisedData, type TrainableModel } from '@nnkit/core';
import { checkOutputFolder, lockFolder, saveModel, train, type FolderLock } from '@nnkit/train';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';
import { integerLimit, integerOption, jsonObjectOption, numberLimit, numberOption } from '../options.js';
import { isSupervisedData, modelDataKind, wrongKindOfData, wrongKindOr } from '../data-kinds.js';
import { isSequencePairCorpus } from '../sequence-pairs.js';
import { isImageCaptionCorpus } from '../captions.js';
import { trainOnCaptions } from './train-on-captions.js';
import { trainOnPairs } from './train-on-pairs.js';
import { trainOnTokens } from './train-on-tokens.js';
import { batchSizeFor, checkpointsFor, claimOutFolder, createOutFolder, startedSettings } from './training-run.js';

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
    'dataset-options': { type: 'string', description: 'options for the dataset as JSON: \'{"trainTokens": 20000}\'', limit: 'a JSON object' },
    epochs: { type: 'string', description: "epochs to train (default: the model's)", limit: integerLimit(EPOCHS) },
    'batch-size': { type: 'string', description: "examples per step (default: the model's, else 32; more than the data's examples is cut to them)", limit: integerLimit(BATCH_SIZE) },
    'learning-rate': { type: 'string', description: "the optimizer's learning rate (default: the model's)", limit: numberLimit({ above: 0 }) },
    'clip-norm': { type: 'string', description: 'clip gradients by their global norm', limit: numberLimit({ above: 0 }) },
    out: { type: 'string', description: 'folder for checkpoints and the model (default: nnkit-out/<model>)' },
    resume: { type: 'boolean', description: 'continue from the newest intact checkpoint in --out, with the settings that run started with (a new --learning-rate or a larger --epochs are fine)' },
    overwrite: { type: 'boolean', description: "start a new run in an --out that holds a saved model or another run's checkpoints, replacing them (without it, or --resume, an --out that holds anything is refused)" },
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
    if (values.resume && values.overwrite) throw new UsageError('--resume continues the run in --out and --overwrite replaces it: pass one of them.');
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
      await trainInto(out, key, definition, datasetKey, { values, kit, print, json, overrides, datasetFlags, epochsFlag, batchFlag, learningRate, clipNorm });
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

/** Loads the data, trains and saves into `out`, which is checked, claimed and locked. */
async function trainInto(out: string, key: string, definition: ModelDefinition, datasetKey: string, settled: Settled): Promise<void> {
  const { values, kit, print, json, overrides, datasetFlags, epochsFlag, batchFlag, learningRate, clipNorm } = settled;
  const defaults = definition.training ?? {};
  const claimOut = () => claimOutFolder(out, { resume: Boolean(values.resume), overwrite: Boolean(values.overwrite) }, (line) => kit.progress.log(line));
  const datasetOptions = { ...(defaults.dataset === datasetKey ? defaults.datasetOptions : {}), ...datasetFlags };
  const optimizer: OptimizerSpec = { ...(defaults.optimizer ?? { name: 'adam', learningRate: 1e-3 }), ...(learningRate !== undefined && { learningRate }) };
  const epochs = epochsFlag ?? defaults.epochs ?? 10;
  const preset = values.preset !== undefined ? String(values.preset) : undefined;
  const clip = clipNorm ?? defaults.clipNorm;
  const report = (summary: { steps: number; epochs: number; metrics: Record<string, number>; saved: string; resumedFrom?: number }) => {
    const finished = summary.resumedFrom === summary.steps; // resumed a run that had already done all it was asked
    print({ model: key, out, ...summary, ...(finished && { alreadyFinished: true }) }, () =>
      [finished
        ? `nothing left to train: ${key} in ${out} had already done ${summary.epochs} epoch(s), ${summary.steps} steps (pass a larger --epochs to train on)`
        : `trained ${key}: ${summary.steps} steps${summary.resumedFrom !== undefined ? ` (resumed from step ${summary.resumedFrom})` : ''}`,
        ...Object.entries(summary.metrics).map(([k, v]) => `  ${k} ${v.toFixed(4)}`),
        `saved to ${summary.saved}`].join('\n'),
    );
  };
  if (defaults.bptt) {
    if (batchFlag !== undefined) throw new UsageError(`${key} trains with truncated BPTT on ${defaults.bptt.streams} parallel token streams: --batch-size does not apply to it.`);
    const { result, metrics, saved } = await trainOnTokens({
      kit, key, definition, bptt: defaults.bptt, ...(preset !== undefined && { preset }), overrides, datasetKey, datasetOptions, optimizer, epochs,
      ...(clip !== undefined && { clipNorm: clip }), out, resume: Boolean(values.resume), overwrite: Boolean(values.overwrite), quiet: json, claimOut,
    });
    report({ steps: result.steps, epochs: result.history.length, metrics, saved, ...(result.resumedFrom !== undefined && { resumedFrom: result.resumedFrom }) });
    return;
  }
  const loaded = await kit.loadDataset<SupervisedData | SequencePairCorpus | ImageCaptionCorpus>(datasetKey, datasetOptions);
  if (isSequencePairCorpus(loaded) || isImageCaptionCorpus(loaded)) {
    // Sequence pairs and captioned images each have their own trainer; they share everything else.
    const run = {
      kit, key, definition, ...(preset !== undefined && { preset }), overrides, datasetKey, datasetOptions, optimizer, epochs,
      batchSize: batchFlag ?? defaults.batchSize ?? 64, ...(clip !== undefined && { clipNorm: clip }), out, resume: Boolean(values.resume), overwrite: Boolean(values.overwrite), quiet: json, claimOut,
    };
    const { result, metrics, saved } = isSequencePairCorpus(loaded) ? await trainOnPairs({ ...run, corpus: loaded }) : await trainOnCaptions({ ...run, corpus: loaded });
    report({ steps: result.steps, epochs: result.history.length, metrics, saved, ...(result.resumedFrom !== undefined && { resumedFrom: result.resumedFrom }) });
    return;
  }
  if (!isSupervisedData(loaded)) throw wrongKindOfData(kit, key, 'examples', datasetKey, loaded);
  const data = loaded;
  let instance: ModelInstance<TrainableModel>;
  try {
    instance = await kit.createModel<TrainableModel>(key, { ...(preset !== undefined && { preset }), config: overrides });
  } catch (error) {
    const thrown = await wrongKindOr(error, kit, key, datasetKey, data);
    data.dispose();
    throw thrown;
  }
  try {
    const takes = modelDataKind(definition, instance.model);
    if (takes !== 'examples') throw wrongKindOfData(kit, key, takes, datasetKey, data);
    claimOut();
    const result = await train({
      model: instance.model,
      data,
      optimizer,
      epochs,
      batchSize: batchSizeFor(batchFlag ?? defaults.batchSize ?? 32, data.train.xs.shape[0]!, 'examples', (line) => kit.progress.log(line)),
      ...(clip !== undefined && { clip: { norm: clip } }),
      checkpoint: checkpointsFor({ kit, out, overwrite: Boolean(values.overwrite), key, datasetKey, datasetOptions }, instance.config),
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
      onNote: (line) => kit.progress.log(line),
    });
    report({ saved, steps: result.steps, epochs: result.history.length, metrics, ...(result.resumedFrom !== undefined && { resumedFrom: result.resumedFrom }) });
  } finally {
    instance.model.dispose?.();
    data.dispose();
  }
}
