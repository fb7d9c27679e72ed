import { resolve } from 'node:path';
import { ConfigError, type ImageCaptionCorpus, type SequencePairCorpus, type StreamModel, type SupervisedData, type TokenCorpus, type TrainableModel } from '@nnkit/core';
import { evaluate, loadModel, scoreCaptions, scoreTranslations, type SavedModelMetadata } from '@nnkit/train';
import { beamOption } from '../beam-option.js';
import type { Command, CommandContext } from '../command.js';
import { isCaptioner, isImageCaptionCorpus } from '../captions.js';
import { dataKind, isSupervisedData, modelDataKind, wrongKindOfData } from '../data-kinds.js';
import { isSequencePairCorpus, isTranslator } from '../sequence-pairs.js';
import { isTokenCorpus, measureOnTokens } from '../token-corpus.js';

export const evalCommand: Command = {
  name: 'eval',
  usage: 'eval <model-dir>',
  summary: 'load a saved model and measure it on its dataset (the test split, else validation)',
  positionals: { min: 1, max: 1 },
  options: {
    dataset: { type: 'string', description: 'a registered dataset (default: the one it was trained on)' },
    split: { type: 'string', description: 'test | validation | train (default: test, else validation)' },
    beam: { type: 'string', description: 'beam width for a sequence-to-sequence model or a captioner (default 1: greedy)' },
  },
  async run({ positionals, values, kit: makeKit, print }) {
    const dir = resolve(positionals[0]!);
    const kit = await makeKit();
    const { instance, metadata } = await loadModel<TrainableModel>(kit, dir);
    const datasetKey = (values.dataset as string | undefined) ?? metadata.dataset?.key;
    if (!datasetKey) throw new ConfigError(`Saved model ${dir} names no dataset: pass --dataset <name>.`);
    const data = await kit.loadDataset<SupervisedData | TokenCorpus | SequencePairCorpus | ImageCaptionCorpus>(datasetKey, values.dataset ? {} : (metadata.dataset?.options ?? {}));
    const takes = modelDataKind(kit.registry.models.has(metadata.model) ? kit.registry.models.get(metadata.model) : undefined, instance.model);
    if (takes !== dataKind(data)) {
      instance.model.dispose?.();
      if (isSupervisedData(data)) data.dispose();
      throw wrongKindOfData(kit, metadata.model, takes, datasetKey, data);
    }
    if (isSequencePairCorpus(data)) {
      try {
        await evaluateOnPairs(instance.model, data, { dir, metadata, datasetKey, split: values.split as string | undefined, beam: values.beam, print });
      } finally {
        instance.model.dispose?.();
      }
      return;
    }
    if (isImageCaptionCorpus(data)) {
      try {
        await evaluateOnCaptions(instance.model, data, { dir, metadata, datasetKey, split: values.split as string | undefined, beam: values.beam, print });
      } finally {
        instance.model.dispose?.();
      }
      return;
    }
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

/** An image captioner on a split of captioned images: exact match, BLEU-4, and the token (for digit strings, character) error rate. */
async function evaluateOnCaptions(
  model: TrainableModel,
  corpus: ImageCaptionCorpus,
  { dir, metadata, datasetKey, split = 'test', beam: beamFlag, print }: { dir: string; metadata: SavedModelMetadata; datasetKey: string; split?: string | undefined; beam: unknown; print: CommandContext['print'] },
) {
  if (!isCaptioner(model)) throw new ConfigError(`Dataset '${datasetKey}' expects an image captioner, got ${metadata.model}, which cannot caption.`);
  const beam = beamOption(beamFlag);
  if (!['train', 'validation', 'test'].includes(split)) throw new ConfigError(`Dataset '${datasetKey}' expects a split among train, validation, test, got '${split}'.`);
  const images = corpus[split as 'train' | 'validation' | 'test'];
  const scores = await scoreCaptions(model, images, corpus.imageShape, { beam });
  const metrics = { exact_match: scores.exactMatch, bleu: scores.bleu, token_error_rate: scores.tokenErrorRate };
  print({ model: metadata.model, dir, dataset: datasetKey, split, images: images.count, beam, metrics }, () =>
    [`${metadata.model} on ${datasetKey} (${split}, ${images.count} images, beam ${beam}):`, ...Object.entries(metrics).map(([k, v]) => `  ${k} ${v.toFixed(4)}`)].join('\n'),
  );
}

/** A sequence-to-sequence model on a split of sequence pairs: exact match, word and token error rates, BLEU. */
async function evaluateOnPairs(
  model: TrainableModel,
  corpus: SequencePairCorpus,
  { dir, metadata, datasetKey, split = 'test', beam: beamFlag, print }: { dir: string; metadata: SavedModelMetadata; datasetKey: string; split?: string | undefined; beam: unknown; print: CommandContext['print'] },
) {
  if (!isTranslator(model)) throw new ConfigError(`Dataset '${datasetKey}' expects a sequence-to-sequence model, got ${metadata.model}, which cannot translate.`);
  const beam = beamOption(beamFlag);
  if (!['train', 'validation', 'test'].includes(split)) throw new ConfigError(`Dataset '${datasetKey}' expects a split among train, validation, test, got '${split}'.`);
  const examples = corpus[split as 'train' | 'validation' | 'test'];
  const scores = await scoreTranslations(model, examples, { beam });
  const metrics = { exact_match: scores.exactMatch, word_error_rate: scores.wordErrorRate, token_error_rate: scores.tokenErrorRate, bleu: scores.bleu };
  print({ model: metadata.model, dir, dataset: datasetKey, split, examples: examples.length, beam, metrics }, () =>
    [`${metadata.model} on ${datasetKey} (${split}, ${examples.length} sources, beam ${beam}):`, ...Object.entries(metrics).map(([k, v]) => `  ${k} ${v.toFixed(4)}`)].join('\n'),
  );
}
