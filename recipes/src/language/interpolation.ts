import * as tf from '@tensorflow/tfjs';
import type { LanguageModel } from '@nnkit/plugin-rnn-lm';
import type { KneserNey } from './kneser-ney.js';

/** Token positions scored: `ids` read as `streams` parallel rows, the way `toStreams` cuts it. */
export interface TokenScores {
  /** positions[k]: the index in `ids` of the k-th scored token. */
  readonly positions: Int32Array;
  /** The model's probability of each scored token given what precedes it in its stream. */
  readonly probabilities: Float64Array;
}

/** Each token's probability under a recurrent language model, one step at a time with the state carried. */
export function scoreTokens(model: LanguageModel, ids: Int32Array, streams = 4): TokenScores {
  const length = Math.floor((ids.length - 1) / streams);
  const positions = new Int32Array(streams * length);
  const probabilities = new Float64Array(streams * length);
  let state = model.initialState(streams);
  for (let t = 0; t < length; t++) {
    const inputs = Int32Array.from({ length: streams }, (_, s) => ids[s * length + t]!);
    const targets = Int32Array.from({ length: streams }, (_, s) => ids[s * length + t + 1]!);
    const { next, chosen } = tf.tidy(() => {
      const { logits, state: after } = model.step(tf.tensor1d(inputs, 'int32'), state);
      const probability = tf.sum(tf.mul(tf.softmax(logits), tf.oneHot(tf.tensor1d(targets, 'int32'), logits.shape[1]!)), 1);
      return { next: after, chosen: probability };
    });
    const values = chosen.dataSync();
    for (let s = 0; s < streams; s++) {
      positions[s * length + t] = s * length + t + 1;
      probabilities[s * length + t] = values[s]!;
    }
    tf.dispose([chosen, state]);
    state = next;
  }
  tf.dispose(state);
  return { positions, probabilities };
}

/** The n-gram model's probability of the same tokens, each from the tokens before it in `ids`. */
export function scoreWithNgram(ngram: KneserNey, ids: Int32Array, positions: Int32Array): Float64Array {
  return Float64Array.from(positions, (p) => ngram.probability(Array.from(ids.subarray(Math.max(0, p - ngram.order + 1), p)), ids[p]!));
}

/** Mean −ln(λ·p + (1 − λ)·q): the cross-entropy of the linear interpolation of two models (Mikolov et al. 2010). */
export function mixtureCrossEntropy(p: Float64Array, q: Float64Array, lambda: number): number {
  let total = 0;
  for (let i = 0; i < p.length; i++) total -= Math.log(lambda * p[i]! + (1 - lambda) * q[i]!);
  return total / p.length;
}

/** The weight λ ∈ {0.05, 0.1, …, 0.95} of the neural model that gives the lowest cross-entropy on `p`, `q`. */
export function bestLambda(p: Float64Array, q: Float64Array): number {
  const grid = Array.from({ length: 19 }, (_, i) => (i + 1) / 20);
  return grid.reduce((best, lambda) => (mixtureCrossEntropy(p, q, lambda) < mixtureCrossEntropy(p, q, best) ? lambda : best));
}
