import * as tf from '@tensorflow/tfjs';
import { ConfigError, type WeightMap } from '@nnkit/core';
import { additiveScores, attendValues, dense, glorotUniform, uniformVariable, zerosVariable } from '@nnkit/ops';
import type { AttentionKind } from './config.js';

// The weights alone, for callers that score positions themselves: the same as `attend` makes them.
export { maskedSoftmax } from '@nnkit/ops';

/** What the decoder attends over, computed once per source and carried in the decoder's state. */
export interface Memory {
  /** (batch, S, E): the encoder's outputs, exactly 0 at padded positions. */
  readonly values: tf.Tensor3D;
  /** (batch, S, K): what a query is compared with, the values projected once (the values themselves for luong-dot). */
  readonly keys: tf.Tensor3D;
  /** (batch, S) float32: 1 at real source positions, 0 at padding. */
  readonly mask: tf.Tensor2D;
}

export interface Attended {
  /** (batch, S): softmax over the real positions, exactly 0 at padded ones. */
  readonly weights: tf.Tensor2D;
  /** (batch, E): Σ_j a_j h̄_j, the weighted mean of the encoder's outputs. */
  readonly context: tf.Tensor2D;
}

export interface Attention {
  readonly kind: Exclude<AttentionKind, 'none'>;
  /** `attention/…`, by stable name. */
  readonly weights: WeightMap;
  /** The keys for a source's encoder outputs (batch, S, E) → (batch, S, K). */
  keys(values: tf.Tensor3D): tf.Tensor3D;
  /** Scores every source position against `query` (batch, units) and averages the values by the softmax of the scores. */
  attend(query: tf.Tensor2D, memory: Memory): Attended;
  /** Luong's attentional vector h̃ = tanh(W_c [c_t; h_t]) (eq. 5), (batch, units): what the output layer reads. */
  combine(context: tf.Tensor2D, hidden: tf.Tensor2D): tf.Tensor2D;
  /** The same from [c_t; h_t] already joined along the last axis, for any number of steps: (…, E + units) → (…, units). */
  combineJoined<T extends tf.Tensor>(joined: T): T;
}

export interface AttentionOptions {
  /** E: the size of an encoder output (2·units when bidirectional). */
  readonly valueSize: number;
  /** The decoder's units: the size of a query and of h̃. */
  readonly units: number;
  readonly seed: (label: string) => number;
}

/**
 * The three scores of the lecture's attention slides, each a function of the decoder's query q and an encoder
 * output h̄_j:
 *
 *   bahdanau       v · tanh(W q + U h̄_j + b)    additive (Bahdanau et al. 2015, eq. 6); A = units
 *   luong-dot      q · h̄_j                       (Luong et al. 2015, eq. 8); needs E = units
 *   luong-general  q · (h̄_j W)                   bilinear (Luong et al. 2015, eq. 8)
 *
 * U h̄_j (and h̄_j W) do not depend on the step, so they are computed once per source (`keys`) and carried in the
 * decoder's state, as Bahdanau's appendix A.1.2 suggests.
 */
export function createAttention(kind: Exclude<AttentionKind, 'none'>, { valueSize, units, seed }: AttentionOptions): Attention {
  if (kind === 'luong-dot' && valueSize !== units) {
    throw new ConfigError(
      `attention 'luong-dot' expects the decoder's units to equal the size of an encoder output, got units ${units} and encoder outputs of ${valueSize}` +
        `${valueSize === 2 * units ? ' (bidirectional: 2 × units)' : ''}. Use attention 'luong-general' (which learns the map between them), or bidirectional false.`,
      'attention',
    );
  }
  // W_c [c; h] as W_c,context c + W_c,hidden h: the same map, without a concat per step (and a split in its gradient).
  const limit = Math.sqrt(6 / (valueSize + 2 * units)); // Glorot over the whole (E + units, units) W_c
  const combineContext = uniformVariable([valueSize, units], limit, seed('attention/combine/context')); // (E, units)
  const combineHidden = uniformVariable([units, units], limit, seed('attention/combine/hidden')); // (units, units)
  const combine = (context: tf.Tensor2D, hidden: tf.Tensor2D) =>
    tf.tanh(tf.add(tf.matMul(context, combineContext), tf.matMul(hidden, combineHidden))) as tf.Tensor2D;

  let weights: WeightMap;
  let keys: (values: tf.Tensor3D) => tf.Tensor3D;
  let score: (query: tf.Tensor2D, keys: tf.Tensor3D) => tf.Tensor2D; // (batch, S)
  if (kind === 'bahdanau') {
    const queryKernel = glorotUniform(units, units, seed('attention/query')); // W: (units, A)
    const keyKernel = glorotUniform(valueSize, units, seed('attention/key')); // U: (E, A)
    const keyBias = zerosVariable(units); // b: (A)
    const scoreKernel = glorotUniform(units, 1, seed('attention/score')); // v: (A, 1)
    weights = {
      'attention/query/kernel': queryKernel,
      'attention/key/kernel': keyKernel,
      'attention/key/bias': keyBias,
      'attention/score/kernel': scoreKernel,
    };
    keys = (values) => dense(values, keyKernel, keyBias) as tf.Tensor3D;
    score = (query, projected) => additiveScores(query, projected, queryKernel, scoreKernel); // v · tanh(U h̄_j + b + W q)
  } else {
    // q · k_j for every j at once: (batch, S, units) × (batch, units, 1) → (batch, S, 1).
    const dot = (query: tf.Tensor2D, projected: tf.Tensor3D) =>
      tf.reshape(tf.matMul(projected, tf.expandDims(query, 2)), [projected.shape[0], projected.shape[1]]) as tf.Tensor2D;
    score = dot;
    if (kind === 'luong-general') {
      const kernel = glorotUniform(valueSize, units, seed('attention/general')); // W_a: (E, units)
      weights = { 'attention/general/kernel': kernel };
      keys = (values) => dense(values, kernel) as tf.Tensor3D;
    } else {
      weights = {};
      keys = (values) => values;
    }
  }

  return {
    kind,
    weights: { ...weights, 'attention/combine/context': combineContext, 'attention/combine/hidden': combineHidden },
    keys,
    attend(query, memory) {
      // The softmax over the real positions and the weighted mean, in one op with its gradient written out.
      return attendValues(score(query, memory.keys), memory.values, memory.mask);
    },
    combine,
    combineJoined: <T extends tf.Tensor>(joined: T) =>
      tf.tanh(dense(joined, tf.concat([combineContext, combineHidden], 0) as tf.Tensor2D)) as T,
  };
}
