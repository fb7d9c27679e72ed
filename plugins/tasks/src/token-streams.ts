import * as tf from '@tensorflow/tfjs';
import { ConfigError, type StreamModel, type TaskDefinition, type TokenCorpus } from '@nnkit/core';
import { bitsPerTokenMetric, evaluate, perplexityMetric, splitOf, toStreams } from '@nnkit/train';
import { corpusDecides } from './corpus-decides.js';
import { splitsWhere } from './splits.js';

/** Whether a dataset's `load()` gave token ids (a text corpus) rather than examples. */
export function isTokenCorpus(data: unknown): data is TokenCorpus {
  const corpus = data as TokenCorpus;
  return corpus?.train instanceof Int32Array && Array.isArray(corpus.vocabulary?.tokens);
}

/** A model trained with truncated BPTT: it starts a state and runs a window from one. */
export function isStreamModel(model: unknown): model is StreamModel {
  const candidate = model as StreamModel | undefined;
  return typeof candidate?.runWindow === 'function' && typeof candidate.initialState === 'function';
}

/** The parallel streams a split is measured in unless the caller says (see measureOnTokens). */
export const VALIDATION_STREAMS = 32;

/**
 * Cross-entropy in nats per token over a split, with perplexity and bits per token. The split is read as `count`
 * parallel streams (32 unless told): 32 times fewer sequential steps than one, and only the first tokens of each
 * stream (32 of the 108,000 characters of Moby Dick's test split) are predicted without their preceding text.
 */
export async function measureOnTokens(
  model: StreamModel,
  ids: Int32Array,
  count = VALIDATION_STREAMS,
): Promise<{ loss: number; perplexity: number; bits_per_token: number }> {
  const streams = toStreams(ids, count);
  try {
    const scores = await evaluate(model, { streams }, { metrics: [perplexityMetric(), bitsPerTokenMetric()] });
    return { loss: scores.loss!, perplexity: scores.perplexity!, bits_per_token: scores.bits_per_token! };
  } finally {
    tf.dispose([streams.xs, streams.ys]);
  }
}

/**
 * One long token stream per split and its vocabulary (Moby Dick's characters): cut into parallel streams that
 * truncated BPTT reads in windows, the state carried across them (Zaremba et al. 2014); a model is scored by its
 * cross-entropy, perplexity and bits per token over a whole split. The corpus decides `vocabularySize`.
 */
export const tokenStreams: TaskDefinition<TokenCorpus, StreamModel> = {
  name: 'token-streams',
  description: 'one long token stream per split (text): parallel streams for truncated BPTT; perplexity and bits per token',
  holds: 'text (token ids and a vocabulary)',
  learner: 'a language model, measured by its loss on the text, not decoded',
  batchSize: 32,
  accepts: isTokenCorpus,
  fits: isStreamModel,
  ...corpusDecides((data) => [
    { field: 'vocabularySize', corpus: data.vocabulary.tokens.length, what: 'symbols in its vocabulary', rule: 'atLeast' },
  ]),
  trainingData(data, { batchSize, bptt, validationStreams: streamCount = VALIDATION_STREAMS }) {
    if (!bptt)
      throw new ConfigError(
        'tasks/token-streams expects bptt { k1, k2 } to train with (an update every k1 tokens through the last k2), got none.',
        'bptt',
      );
    const train = toStreams(data.train, batchSize);
    const { validation } = data;
    let validationStreams;
    try {
      // Measured by train after each epoch (as val_loss), which stops on a non-finite or overflowing one.
      validationStreams = validation && toStreams(validation, streamCount);
    } catch (error) {
      tf.dispose([train.xs, train.ys]);
      throw error;
    }
    return {
      train,
      ...(validationStreams && { validation: validationStreams }),
      bptt,
      ...(validation && {
        describeEpoch: (epoch: number, metrics: Readonly<Record<string, number>>) =>
          `epoch ${epoch}: validation perplexity ${Math.exp(metrics.val_loss!).toFixed(2)}`,
        validationScores: (model: StreamModel) => measureOnTokens(model, validation, streamCount),
      }),
      dispose: () => tf.dispose([train.xs, train.ys, ...(validationStreams ? [validationStreams.xs, validationStreams.ys] : [])]),
    };
  },
  async evaluate(model, data, split, { limit, streams }) {
    const ids = splitOf(tokenStreams, data, split);
    return measureOnTokens(model, limit === undefined ? ids : ids.subarray(0, limit), streams);
  },
  splits: (data) => splitsWhere((split) => (data[split]?.length ?? 0) > 0),
  splitSize: (data, split) => ({ count: splitOf(tokenStreams, data, split).length, unit: 'tokens', field: 'tokens' }),
  saveExtras: (data) => ({ vocabulary: data.vocabulary.tokens }),
};
