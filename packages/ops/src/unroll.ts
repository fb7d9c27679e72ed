import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, type RecurrentCell } from '@nnkit/core';
import { stopGradient } from './stop-gradient.js';

export interface UnrollOptions {
  /**
   * Truncated back-propagation through time: the gradient through the state goes back at most `truncate`
   * steps from the last one. The state that enters step T − k (and T − 2k, …) is cut with stopGradient, so for
   * the loss at the last step T, ∂E_T/∂s_{T−j} is the full BPTT value for j ≤ k and exactly zero for j > k.
   * (Windows are aligned to the last step; an earlier step's loss sees between 1 and k steps.) Default: none.
   */
  readonly truncate?: number;
}

export interface Unrolled {
  /** One (batch, units) output per step. */
  readonly outputs: tf.Tensor2D[];
  /** The state after the last step. */
  readonly state: tf.Tensor2D[];
}

/**
 * Runs a recurrent cell over time: s_t = cell(x_t, s_{t−1}). The unrolled network is an ordinary feed-forward one
 * whose steps share their weights, so autodiff over it is back-propagation through time (the lecture's BPTT).
 * `inputs` is (batch, time, features) or one (batch, features) tensor per step.
 */
export function unroll(cell: RecurrentCell, inputs: tf.Tensor3D | readonly tf.Tensor2D[], state: readonly tf.Tensor2D[], options: UnrollOptions = {}): Unrolled {
  const { truncate } = options;
  if (truncate !== undefined && !(Number.isInteger(truncate) && truncate >= 1)) {
    throw new ConfigError(`unroll expects truncate to be an integer ≥ 1, got ${truncate}.`, 'truncate');
  }
  if (!Array.isArray(inputs) && (inputs as tf.Tensor).rank !== 3) {
    throw new ShapeError(`unroll expects inputs of shape (batch, time, features) or a list of (batch, features), got shape [${(inputs as tf.Tensor).shape}].`);
  }
  const steps = Array.isArray(inputs) ? (inputs as tf.Tensor2D[]) : (tf.unstack(inputs as tf.Tensor3D, 1) as tf.Tensor2D[]);
  const last = steps.length; // steps are t = 1 … T
  let current = [...state];
  const outputs: tf.Tensor2D[] = [];
  steps.forEach((x, index) => {
    const t = index + 1;
    if (truncate !== undefined && t < last && (last - t) % truncate === 0) current = current.map((s) => stopGradient(s));
    const next = cell.step(x, current);
    outputs.push(next.output);
    current = next.state;
  });
  return { outputs, state: current };
}
