import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@nnkit/core';
import { feedTokens } from './feed-tokens.js';
import type { IncrementalDecoder } from './incremental-decoder.js';
import { sampleDecode } from './sample-decode.js';

export interface ContinuePromptOptions {
  /** Token ids the model reads first (at least one). */
  readonly prompt: readonly number[];
  /** Tokens to generate after the prompt. */
  readonly length: number;
  /**
   * Divides the logits before the softmax: 1 samples the model's own distribution, below 1 sharpens it towards
   * the likeliest tokens, above 1 flattens it; 0 always takes the likeliest token (greedy decoding).
   */
  readonly temperature?: number;
  /** Seeds the draws (default 1). */
  readonly seed?: number;
  /** Tokens never generated, such as `<unk>`'s id. */
  readonly exclude?: readonly number[];
}

/**
 * Generates `length` token ids after `prompt` with a language model (a decoder whose context is a batch size):
 * reads the prompt, then draws each token from softmax(logits / temperature). What `nnkit sample` runs.
 */
export async function continuePrompt(
  model: IncrementalDecoder<number>,
  { prompt, length, temperature = 1, seed = 1, exclude = [] }: ContinuePromptOptions,
): Promise<number[]> {
  if (prompt.length === 0)
    throw new ConfigError('continuePrompt expects a prompt of at least one token id, got none. Start with an id such as <eos>.', 'prompt');
  const zero = model.initialState(1);
  const fed = prompt.length > 1 ? feedTokens(model, zero, [prompt.slice(0, -1)]) : undefined;
  try {
    const { tokens } = await sampleDecode(model, fed?.state ?? zero, {
      start: prompt.at(-1)!,
      maxLength: length,
      temperature,
      seed,
      exclude,
    });
    return tokens[0]!;
  } finally {
    tf.dispose([...zero, ...(fed ? [...fed.state, fed.logits] : [])]);
  }
}
