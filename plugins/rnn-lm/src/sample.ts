import * as tf from '@tensorflow/tfjs';
import { ConfigError, mulberry32 } from '@nnkit/core';
import type { LanguageModel } from './language-model.js';

export interface SampleOptions {
  /** Token ids the model reads first (at least one). */
  readonly prompt: readonly number[];
  /** Tokens to generate after the prompt. */
  readonly length: number;
  /**
   * Divides the logits before the softmax: 1 samples the model's own distribution, below 1 sharpens it towards
   * the likeliest tokens, above 1 flattens it; 0 always takes the likeliest token (greedy decoding).
   */
  readonly temperature?: number;
  readonly seed?: number;
  /** Tokens never generated (their probability set to zero), such as `<unk>`'s id. */
  readonly exclude?: readonly number[];
}

/** Generates `length` token ids after `prompt`, one at a time, each drawn from softmax(logits / temperature). */
export function sample(model: LanguageModel, { prompt, length, temperature = 1, seed = 1, exclude = [] }: SampleOptions): number[] {
  if (prompt.length === 0) throw new ConfigError('sample expects a prompt of at least one token id, got none. Start with an id such as <eos>.', 'prompt');
  if (!(temperature >= 0)) throw new ConfigError(`sample expects temperature ≥ 0, got ${temperature}.`, 'temperature');
  const random = mulberry32(seed);
  let state = model.initialState(1);
  let logits: tf.Tensor2D | undefined;
  const advance = (id: number) => {
    const ids = tf.tensor1d([id], 'int32');
    const next = model.step(ids, state);
    tf.dispose([ids, state, logits]);
    state = next.state;
    logits = next.logits;
  };
  try {
    prompt.forEach(advance);
    const generated: number[] = [];
    for (let i = 0; i < length; i++) {
      const scores = logits!.dataSync();
      const id = draw(scores, temperature, new Set(exclude), random);
      generated.push(id);
      advance(id);
    }
    return generated;
  } finally {
    tf.dispose([state, logits]);
  }
}

function draw(logits: ArrayLike<number>, temperature: number, excluded: ReadonlySet<number>, random: () => number): number {
  const allowed = Array.from(logits, (_, i) => i).filter((i) => !excluded.has(i));
  if (temperature === 0) return allowed.reduce((best, i) => (logits[i]! > logits[best]! ? i : best));
  const top = Math.max(...allowed.map((i) => logits[i]!));
  const weights = allowed.map((i) => Math.exp((logits[i]! - top) / temperature));
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let k = 0; k < allowed.length; k++) {
    r -= weights[k]!;
    if (r < 0) return allowed[k]!;
  }
  return allowed.at(-1)!;
}
