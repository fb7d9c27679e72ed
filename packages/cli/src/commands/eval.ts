import { resolve } from 'node:path';
import { ConfigError, type ImageCaptionCorpus, type SequencePairCorpus, type StreamModel, type SupervisedData, type TokenCorpus, type TrainableModel } from '@nnkit/core';
import { evaluate, loadModel, scoreCaptions, scoreTranslations, type SavedModelMetadata } from '@nnkit/train';
import { BEAM_RANGE } from '../beam-option.js';
import type { Command, CommandContext } from '../command.js';
import { isCaptioner } from '../captions.js';
import { dataKind, isSupervisedData, modelDataKind, wrongKindOfData, type DataKind } from '../data-kinds.js';
import { choiceOption, integerLimit, integerOption, nameOption } from '../options.js';
import { isTranslator, vocabulariesOf } from '../sequence-pairs.js';
import { pickSplit, SPLITS, type Split } from '../splits.js';
import { measureOnTokens } from '../token-corpus.js';
import { UsageError } from '../usage-error.js';
import { checkVocabularies, type VocabularyPair } from '../vocabulary-match.js';

type AnyData = SupervisedData | TokenCorpus | SequencePairCorpus | ImageCaptionCorpus;

interface EvalContext {
  readonly dir: string;
  readonly metadata: SavedModelMetadata;
  readonly datasetKey: string;
  readonly split: Split | undefined;
  readonly beam: number;
  readonly print: CommandContext['print'];
}

/** Only models that decode a sequence have a beam to search with. */
const DECODES: readonly DataKind[] = ['sequence-pairs', 'image-captions'];

export const evalCommand: Command = {
  name: 'eval',
  usage: 'eval <model-dir>',
  summary: 'load a saved model and measure it on its dataset (the test split, else validation)',
  positionals: { min: 1, max: 1 },
  options: {
    dataset: { type: 'string', description: 'a registered dataset of the kind the model takes (default: the one it was trained on, with its options)' },
    split: { type: 'string', description: 'the split to measure (default: test, else validation)', limit: `one of ${SPLITS.join(', ')}` },
    beam: { type: 'string', description: 'beam width for a sequence-to-sequence model or a captioner (default 1: greedy)', limit: integerLimit(BEAM_RANGE) },
  },
  async run({ positionals, values, kit: makeKit, print }) {
    // Every option is read before any work, so that a mistake in one costs nothing.
    const dir = resolve(positionals[0]!);
    const split = choiceOption(values.split, 'split', SPLITS);
    const beamFlag = integerOption(values.beam, 'beam', BEAM_RANGE);
    const datasetFlag = nameOption(values.dataset, 'dataset');
    const kit = await makeKit();
    const { instance, metadata } = await loadModel<TrainableModel>(kit, dir);
    const model = instance.model;
    let data: AnyData | undefined;
    try {
      const takes = modelDataKind(kit.registry.models.has(metadata.model) ? kit.registry.models.get(metadata.model) : undefined, model);
      if (beamFlag !== undefined && !DECODES.includes(takes)) {
        throw new UsageError(
          `--beam expects a model that decodes sequences (a translator or a captioner), got ${metadata.model}, ` +
            `${takes === 'text' ? 'a language model, measured by its loss on the text, not decoded' : 'a classifier, which picks one class, not a sequence'}. Leave --beam out.`,
        );
      }
      const datasetKey = datasetFlag ?? metadata.dataset?.key;
      if (!datasetKey) throw new ConfigError(`Saved model ${dir} names no dataset: pass --dataset <name>.`);
      // The options it was trained with go with its own dataset, whether named by --dataset or not: a corpus cut
      // differently would build a different vocabulary.
      const options = datasetKey === metadata.dataset?.key ? (metadata.dataset.options ?? {}) : {};
      data = await kit.loadDataset<AnyData>(datasetKey, options);
      const kind = dataKind(data);
      if (takes !== kind) throw wrongKindOfData(kit, metadata.model, takes, datasetKey, data);
      const context: EvalContext = { dir, metadata, datasetKey, split, beam: beamFlag ?? 1, print };
      checkVocabularies(vocabulariesIn(data, metadata), context);
      if (kind === 'sequence-pairs') await evaluateOnPairs(model, data as SequencePairCorpus, context);
      else if (kind === 'image-captions') await evaluateOnCaptions(model, data as ImageCaptionCorpus, context);
      else if (kind === 'text') await evaluateOnTokens(model as StreamModel, data as TokenCorpus, context);
      else await evaluateOnExamples(model, data as SupervisedData, context);
    } finally {
      model.dispose?.();
      if (isSupervisedData(data)) data.dispose();
    }
  },
};

/** The vocabularies the data's ids index, beside the ones saved with the model. */
function vocabulariesIn(data: AnyData, metadata: SavedModelMetadata): VocabularyPair[] {
  if ('kind' in data && data.kind === 'sequence-pairs') {
    const { source, target } = vocabulariesOf(data);
    return [
      { which: 'source', saved: metadata.vocabularies?.source, data: source },
      { which: 'target', saved: metadata.vocabularies?.target, data: target },
    ];
  }
  const tokens = 'kind' in data && data.kind === 'image-captions' ? data.vocabulary.tokens : (data as TokenCorpus | SupervisedData).vocabulary;
  const list = Array.isArray(tokens) ? tokens : (tokens as { tokens?: readonly string[] } | undefined)?.tokens;
  return list ? [{ which: 'token', saved: metadata.vocabulary, data: list }] : [];
}

function report(context: EvalContext, split: Split, count: { n: number; unit: string; key: string }, metrics: Record<string, number>, withBeam: boolean) {
  const { metadata, dir, datasetKey, beam, print } = context;
  print({ model: metadata.model, dir, dataset: datasetKey, split, [count.key]: count.n, ...(withBeam && { beam }), metrics }, () =>
    [
      `${metadata.model} on ${datasetKey} (${split}, ${count.n} ${count.unit}${withBeam ? `, beam ${beam}` : ''}):`,
      ...Object.entries(metrics).map(([k, v]) => `  ${k} ${v.toFixed(4)}`),
    ].join('\n'),
  );
}

/** A classifier on examples: its loss and metrics over a whole split. */
async function evaluateOnExamples(model: TrainableModel, data: SupervisedData, context: EvalContext) {
  const { split, part } = pickSplit(data, context.split, context.datasetKey);
  const metrics = await evaluate(model, part);
  report(context, split, { n: part.xs.shape[0]!, unit: 'examples', key: 'examples' }, metrics, false);
}

/** A language model on a text corpus: cross-entropy, perplexity and bits per token over a whole split. */
async function evaluateOnTokens(model: StreamModel, corpus: TokenCorpus, context: EvalContext) {
  const { split, part: ids } = pickSplit(corpus, context.split, context.datasetKey);
  const metrics = await measureOnTokens(model, ids);
  report(context, split, { n: ids.length, unit: 'tokens', key: 'tokens' }, metrics, false);
}

/** An image captioner on a split of captioned images: exact match, BLEU-4, and the token (for digit strings, character) error rate. */
async function evaluateOnCaptions(model: TrainableModel, corpus: ImageCaptionCorpus, context: EvalContext) {
  if (!isCaptioner(model)) throw new ConfigError(`Dataset '${context.datasetKey}' expects an image captioner, got ${context.metadata.model}, which cannot caption.`);
  const { split, part: images } = pickSplit(corpus, context.split, context.datasetKey);
  const scores = await scoreCaptions(model, images, corpus.imageShape, { beam: context.beam });
  const metrics = { exact_match: scores.exactMatch, bleu: scores.bleu, token_error_rate: scores.tokenErrorRate };
  report(context, split, { n: images.count, unit: 'images', key: 'images' }, metrics, true);
}

/** A sequence-to-sequence model on a split of sequence pairs: exact match, word and token error rates, BLEU. */
async function evaluateOnPairs(model: TrainableModel, corpus: SequencePairCorpus, context: EvalContext) {
  if (!isTranslator(model)) throw new ConfigError(`Dataset '${context.datasetKey}' expects a sequence-to-sequence model, got ${context.metadata.model}, which cannot translate.`);
  const { split, part: examples } = pickSplit(corpus, context.split, context.datasetKey);
  const scores = await scoreTranslations(model, examples, { beam: context.beam });
  const metrics = { exact_match: scores.exactMatch, word_error_rate: scores.wordErrorRate, token_error_rate: scores.tokenErrorRate, bleu: scores.bleu };
  report(context, split, { n: examples.length, unit: 'sources', key: 'examples' }, metrics, true);
}
