import type * as tf from '@tensorflow/tfjs';
import { DataError, type BatchSource, type Examples, type Metric, type StreamModel, type TrainableModel } from '@nnkit/core';
import { disposeAll, tidy } from '@nnkit/ops';
import { batchesOf, exampleBatches } from './batches.js';
import { evaluateStreams, type StreamSplit } from './evaluate-stream.js';
import type { GeneratedOutputs } from './generated-pass.js';
import { sequenceMetrics } from './generation-metrics.js';
import { evaluateCaptions, type CaptionSplit, type CaptioningModel } from './score-captions.js';
import { evaluateTranslations, type TranslationModel, type TranslationSplit } from './score-translations.js';
import { nonFiniteParts } from './step-numbers.js';
import { readWeightedSums } from './weighted-sums.js';

export interface EvaluateOptions {
  /** Examples per batch when `data` is plain examples (default 256); sources (256) or images (128) decoded at once. */
  readonly batchSize?: number;
  /**
   * Split-level metrics besides the loss and the model's own: `perplexityMetric()`, `accuracyMetric()` on batches and
   * streams; `exactMatch()`, `tokenErrorRate()`, `wordErrorRate()`, `bleu()` … on generations, where the default is
   * `sequenceMetrics()` (exact match, sequence and token error rates, BLEU-4).
   */
  readonly metrics?: readonly Metric[];
  /** Who measures what, in messages: `['Training', 'its validation data']` (default `['evaluate', 'its data']`). */
  readonly naming?: readonly [who: string, what: string];
  /** Generations: beam search of this width (default 1, greedy). */
  readonly beam?: number;
  /** Generations: where the outputs and their attention go, in order, for callers that show them. */
  readonly outputs?: GeneratedOutputs;
}

/** What `evaluate` measures a model on. */
export type EvaluationData = Examples | BatchSource | StreamSplit | TranslationSplit | CaptionSplit;

export function isBatchSource(data: unknown): data is BatchSource {
  return typeof (data as BatchSource).batch === 'function' && typeof (data as BatchSource).batchesPerEpoch === 'number';
}

/**
 * The one way to measure a model on a split, whatever the split holds:
 * - examples `{ xs, ys }` or a BatchSource: the loss, the model's own metrics and `metrics`, each a sum over every
 *   batch divided once at the end (exact per token however the split is batched and padded);
 * - `{ streams, window }` (a StreamModel on `toStreams` output): the loss per token with the state carried through
 *   each whole stream, a language model's test cross-entropy; `metrics` hear each window;
 * - `{ examples }` (a model that translates): each source decoded, scored against its accepted targets;
 * - `{ images, imageShape }` (a model that captions): each image captioned, scored against its caption.
 * Returns every value by name: `loss`, `accuracy`, `perplexity`, `exact_match`, `token_error_rate`, `bleu`, ….
 */
export function evaluate(model: TrainableModel, data: Examples | BatchSource, options?: EvaluateOptions): Promise<Record<string, number>>;
export function evaluate(model: StreamModel, data: StreamSplit, options?: EvaluateOptions): Promise<Record<string, number>>;
export function evaluate(model: TranslationModel, data: TranslationSplit, options?: EvaluateOptions): Promise<Record<string, number>>;
export function evaluate(model: CaptioningModel, data: CaptionSplit, options?: EvaluateOptions): Promise<Record<string, number>>;
export function evaluate(model: unknown, data: EvaluationData, options: EvaluateOptions = {}): Promise<Record<string, number>> {
  const generation = {
    ...(options.beam !== undefined && { beam: options.beam }),
    ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
    ...(options.outputs && { outputs: options.outputs }),
  };
  if ('streams' in data) return evaluateStreams(model as StreamModel, data, options.metrics);
  if ('examples' in data) return evaluateTranslations(model as TranslationModel, data, options.metrics ?? sequenceMetrics(), generation);
  if ('images' in data) return evaluateCaptions(model as CaptioningModel, data, options.metrics ?? sequenceMetrics(), generation);
  return evaluateBatches(model as TrainableModel, data, options);
}

/**
 * The loss and metrics of `model` over a split: every sum and its weight added over all batches, then divided,
 * so that the loss is exact per token however the split is batched and padded.
 */
async function evaluateBatches(
  model: TrainableModel,
  data: Examples | BatchSource,
  options: EvaluateOptions,
): Promise<Record<string, number>> {
  const [who, what] = options.naming ?? ['evaluate', 'its data'];
  const source = isBatchSource(data) ? data : exampleBatches(data, { batchSize: options.batchSize ?? 256, shuffle: false });
  if (source.batchesPerEpoch === 0 || source.unitsPerEpoch === 0) {
    throw new DataError(`${who} expects at least one example in ${what}, got an empty split. Give it data, or leave the split out.`);
  }
  const accumulators = (options.metrics ?? []).map((metric) => ({ name: metric.name, accumulator: metric.start() }));
  const totals = new Map<string, { sum: number; weight: number }>();
  for (const batch of batchesOf(source)) {
    const named = tidy(() => ({ loss: model.loss(batch, { training: false }), ...model.metrics?.(batch) }));
    try {
      // NaN or ±Infinity in the data can come out as a plausible-looking loss (a max-pool drops NaN): say which tensor holds it.
      const bad = await nonFiniteParts(batch as Readonly<Record<string, tf.Tensor>>);
      if (bad.length > 0) {
        throw new DataError(
          `${who} expects finite numbers in ${what}, got NaN or ±Infinity in the batch's ${bad.map((name) => `'${name}'`).join(' and ')}. ` +
            `Find the values with tf.isFinite and drop or replace those examples.`,
        );
      }
      const values = await readWeightedSums(named);
      for (const [name, value] of Object.entries(values)) {
        const total = totals.get(name) ?? { sum: 0, weight: 0 };
        totals.set(name, { sum: total.sum + value.sum, weight: total.weight + value.weight });
      }
      for (const { accumulator } of accumulators) await accumulator.add(batch, model, values.loss!);
    } finally {
      disposeAll([batch, named]); // a weight that is a number is passed over
    }
  }
  const result: Record<string, number> = {};
  for (const [name, { sum, weight }] of totals) result[name] = sum / weight;
  for (const { name, accumulator } of accumulators) result[name] = accumulator.result();
  return result;
}

export { readWeightedSums };
