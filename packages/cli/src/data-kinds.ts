import { ConfigError, isNnkitError, type Kit, type ModelDefinition, type SupervisedData } from '@nnkit/core';
import { isCaptioner, isImageCaptionCorpus } from './captions.js';
import { isSequencePairCorpus, isTranslator } from './sequence-pairs.js';
import { isTokenCorpus } from './token-corpus.js';

/** The kinds of data a dataset's `load()` gives, each for its own kind of model. */
export type DataKind = 'examples' | 'text' | 'sequence-pairs' | 'image-captions';

const DESCRIPTIONS: Record<DataKind, string> = {
  examples: 'examples (inputs and targets)',
  text: 'text (token ids and a vocabulary)',
  'sequence-pairs': 'sequence pairs (sources and their targets)',
  'image-captions': 'captioned images',
};

/** Fixed splits of examples `{ xs, ys }` with `dispose()`: what classifiers such as LeNet-5 train on. */
export function isSupervisedData(data: unknown): data is SupervisedData {
  const { train, dispose } = (data ?? {}) as Partial<SupervisedData>;
  return Array.isArray(train?.xs?.shape) && Array.isArray(train?.ys?.shape) && typeof dispose === 'function';
}

/** What a dataset's `load()` gave, if it is a kind nnkit knows. */
export function dataKind(data: unknown): DataKind | undefined {
  if (isSequencePairCorpus(data)) return 'sequence-pairs';
  if (isImageCaptionCorpus(data)) return 'image-captions';
  if (isTokenCorpus(data)) return 'text';
  if (isSupervisedData(data)) return 'examples';
  return undefined;
}

/** What a model learns from: text for a language model (trained with truncated BPTT), sequence pairs for a translator, captioned images for a captioner, else examples. */
export function modelDataKind(definition: ModelDefinition | undefined, model: unknown): DataKind {
  if (definition?.training?.bptt) return 'text';
  if (isTranslator(model)) return 'sequence-pairs';
  if (isCaptioner(model)) return 'image-captions';
  return 'examples';
}

/**
 * The error for a model given a dataset of another kind: what the model takes (with its own dataset as an example),
 * what the dataset holds, and which registered models train on that dataset.
 */
export function wrongKindOfData(kit: Kit, model: string, takes: DataKind, datasetKey: string, data: unknown): ConfigError {
  const definition = (key: string): ModelDefinition | undefined => {
    try {
      return kit.registry.models.get(key);
    } catch {
      return undefined; // unknown, or a broken variant: nothing to suggest
    }
  };
  const own = definition(model)?.training?.dataset;
  const holds = dataKind(data);
  const fitting = kit.registry.models.keys().filter((key) => key !== model && definition(key)?.training?.dataset === datasetKey);
  return new ConfigError(
    `${model} expects a dataset of ${DESCRIPTIONS[takes]}${own && own !== datasetKey ? `, such as its own ${own}` : ''}, ` +
      `got '${datasetKey}', which holds ${holds ? DESCRIPTIONS[holds] : 'none of the kinds nnkit knows'}${fitting.length > 0 ? `: ${fitting.join(', ')} train on it` : ''}. ` +
      `Pass --dataset with ${DESCRIPTIONS[takes].replace(/ \(.*/, '')} (nnkit list datasets), or a model made for ${holds ? DESCRIPTIONS[holds].replace(/ \(.*/, '') : 'that dataset'}.`,
    'dataset',
  );
}

/**
 * What to throw when a model could not be made for a dataset that is not its own (a translator given MNIST asks for
 * a source vocabulary size MNIST cannot give): the error for the wrong kind of data, when the model's own dataset
 * holds another kind than this one, else `error` itself. Its own dataset is loaded to find out, on this failing
 * path only, and freed.
 */
export async function wrongKindOr(error: unknown, kit: Kit, model: string, datasetKey: string, data: unknown): Promise<unknown> {
  if (!isNnkitError(error) || error.code !== 'NNKIT_CONFIG') return error;
  let training: ModelDefinition['training'];
  try {
    training = kit.registry.models.get(model).training;
  } catch {
    return error;
  }
  if (!training?.dataset || training.dataset === datasetKey) return error;
  let own: unknown;
  try {
    own = await kit.loadDataset(training.dataset, training.datasetOptions ?? {});
  } catch {
    return error; // its own dataset is not at hand: the original error says more than a guess would
  }
  const takes = training.bptt ? 'text' : dataKind(own);
  if (isSupervisedData(own)) own.dispose();
  return takes !== undefined && takes !== dataKind(data) ? wrongKindOfData(kit, model, takes, datasetKey, data) : error;
}
