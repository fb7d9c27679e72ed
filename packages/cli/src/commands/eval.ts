import { resolve } from 'node:path';
import { ConfigError, type StreamModel, type SupervisedData, type TokenCorpus, type TrainableModel } from '@nnkit/core';
import { evaluate, loadModel, type SavedModelMetadata } from '@nnkit/train';
import type { Command, CommandContext } from '../command.js';
import { isTokenCorpus, measureOnTokens } from '../token-corpus.js';

export const evalCommand: Command = {
  name: 'eval',
  usage: 'eval <model-dir>',
  summary: 'load a saved model and measure it on its dataset (the test split, else validation)',
  positionals: { min: 1, max: 1 },
  options: {
    dataset: { type: 'string', description: 'a registered dataset (default: the one it was trained on)' },
    split: { type: 'string', description: 'test | validation | train (default: test, else validation)' },
  },
  async run({ positionals, values, kit: makeKit, print }) {
    const dir = resolve(positionals[0]!);
    const kit = await makeKit();
    const { instance, metadata } = await loadModel<TrainableModel>(kit, dir);
    const datasetKey = (values.dataset as string | undefined) ?? metadata.dataset?.key;
    if (!datasetKey) throw new ConfigError(`Saved model ${dir} names no dataset: pass --dataset <name>.`);
    const data = await kit.loadDataset<SupervisedData | TokenCorpus>(datasetKey, values.dataset ? {} : (metadata.dataset?.options ?? {}));
    if (isTokenCorpus(data)) {
      try {
        await evaluateOnTokens(instance.model as StreamModel, data, { dir, metadata, datasetKey, split: values.split as string | undefined, print });
      } finally {
        instance.model.dispose?.();
      }
      return;
    }
    try {
      const split = (values.split as string | undefined) ?? (data.test ? 'test' : 'validation');
      const examples = data[split as 'test' | 'validation' | 'train'];
      if (!examples) throw new ConfigError(`Dataset '${datasetKey}' expects a split among ${['train', 'validation', 'test'].filter((s) => data[s as 'train']).join(', ')}, got '${split}'.`);
      const metrics = await evaluate(instance.model, examples);
      print({ model: metadata.model, dir, dataset: datasetKey, split, examples: examples.xs.shape[0], metrics }, () =>
        [`${metadata.model} on ${datasetKey} (${split}, ${examples.xs.shape[0]} examples):`, ...Object.entries(metrics).map(([k, v]) => `  ${k} ${v.toFixed(4)}`)].join('\n'),
      );
    } finally {
      instance.model.dispose?.();
      data.dispose();
    }
  },
};

/** A language model on a text corpus: cross-entropy, perplexity and bits per token over a whole split. */
async function evaluateOnTokens(
  model: StreamModel,
  corpus: TokenCorpus,
  { dir, metadata, datasetKey, split = corpus.test ? 'test' : 'validation', print }: { dir: string; metadata: SavedModelMetadata; datasetKey: string; split?: string | undefined; print: CommandContext['print'] },
) {
  const ids = corpus[split as 'test' | 'validation' | 'train'];
  if (!ids) throw new ConfigError(`Dataset '${datasetKey}' expects a split among ${['train', 'validation', 'test'].filter((s) => corpus[s as 'train']).join(', ')}, got '${split}'.`);
  const metrics = await measureOnTokens(model, ids);
  print({ model: metadata.model, dir, dataset: datasetKey, split, tokens: ids.length, metrics }, () =>
    [`${metadata.model} on ${datasetKey} (${split}, ${ids.length} tokens):`, ...Object.entries(metrics).map(([k, v]) => `  ${k} ${v.toFixed(4)}`)].join('\n'),
  );
}
