import { ConfigError, type StreamModel, type TokenCorpus } from '@nnkit/core';
import { evaluateStream, toStreams } from '@nnkit/train';
import * as tf from '@tensorflow/tfjs';

/** Whether a dataset's `load()` gave token ids (a text corpus) rather than examples. */
export function isTokenCorpus(data: unknown): data is TokenCorpus {
  const corpus = data as TokenCorpus;
  return corpus?.train instanceof Int32Array && Array.isArray(corpus.vocabulary?.tokens);
}

export function expectTokenCorpus(data: unknown, datasetKey: string): TokenCorpus {
  if (!isTokenCorpus(data)) throw new ConfigError(`A language model expects a text dataset (token ids and a vocabulary, such as datasets/moby-dick), got '${datasetKey}', which is not one.`, 'dataset');
  return data;
}

/** The parallel streams a split is measured in (see measureOnTokens). */
export const VALIDATION_STREAMS = 32;

/**
 * Cross-entropy in nats per token over a split, with perplexity and bits per token. The split is read as 32
 * parallel streams: 32 times fewer sequential steps than one, and only the first tokens of each stream (32 of the
 * 108,000 characters of Moby Dick's test split) are predicted without their preceding text.
 */
export async function measureOnTokens(model: StreamModel, ids: Int32Array): Promise<{ loss: number; perplexity: number; bits_per_token: number }> {
  const streams = toStreams(ids, VALIDATION_STREAMS);
  try {
    const loss = await evaluateStream(model, streams);
    return { loss, perplexity: Math.exp(loss), bits_per_token: loss / Math.LN2 };
  } finally {
    tf.dispose([streams.xs, streams.ys]);
  }
}
