import * as tf from '@tensorflow/tfjs';
import { type WeightMap } from '@nnkit/core';
import { additiveScores, attendValues, dense, glorotUniform, zerosVariable } from '@nnkit/ops';

/** What the decoder attends over, computed once per image and carried in its state. */
export interface Annotations {
  /** (batch, L, D): the encoder's grid, one D-vector per position (Xu et al.'s a_i). */
  readonly values: tf.Tensor3D;
  /** (batch, L, A): the values projected once for scoring. */
  readonly keys: tf.Tensor3D;
}

export interface GridAttention {
  readonly weights: WeightMap;
  keys(values: tf.Tensor3D): tf.Tensor3D;
  /** α_t over the L positions (each row sums to 1) and the gated context β_t Σ α_ti a_i, from the query h_{t−1}. */
  attend(query: tf.Tensor2D, annotations: Annotations): { weights: tf.Tensor2D; context: tf.Tensor2D };
}

/**
 * Show, Attend and Tell's soft attention (Xu et al. 2015, §4.2): e_ti = v · tanh(U a_i + W h_{t−1} + b), α_t =
 * softmax(e_t), and the context ẑ_t = β_t Σ_i α_ti a_i with the gate β_t = σ(w_β · h_{t−1} + b_β) (§4.2.1), which
 * lets the decoder lean on the words so far rather than the image. Every image has the same grid, so no mask.
 */
export function createGridAttention({
  valueSize,
  queryUnits,
  units,
  seed,
}: {
  valueSize: number;
  queryUnits: number;
  units: number;
  seed: (label: string) => number;
}): GridAttention {
  const keyKernel = glorotUniform(valueSize, units, seed('attention/key')); // U: (D, A)
  const keyBias = zerosVariable(units);
  const queryKernel = glorotUniform(queryUnits, units, seed('attention/query')); // W: (units, A)
  const scoreKernel = glorotUniform(units, 1, seed('attention/score')); // v: (A, 1)
  const gateKernel = glorotUniform(queryUnits, 1, seed('attention/gate')); // w_β: (units, 1)
  const gateBias = zerosVariable(1);
  return {
    weights: {
      'attention/key/kernel': keyKernel,
      'attention/key/bias': keyBias,
      'attention/query/kernel': queryKernel,
      'attention/score/kernel': scoreKernel,
      'attention/gate/kernel': gateKernel,
      'attention/gate/bias': gateBias,
    },
    keys: (values) => dense(values, keyKernel, keyBias) as tf.Tensor3D,
    attend(query, { values, keys }) {
      // v · tanh(U a_i + b + W h_{t−1}), its softmax over the L positions and the mean Σ α_ti a_i: @nnkit/ops' two
      // attention ops, each with its gradient written out (a decoder runs them once per word).
      const { weights, context: mean } = attendValues(additiveScores(query, keys, queryKernel, scoreKernel), values); // (batch, L), (batch, D)
      const gate = tf.sigmoid(dense(query, gateKernel, gateBias)); // (batch, 1)
      return { weights, context: tf.mul(gate, mean) as tf.Tensor2D };
    },
  };
}
