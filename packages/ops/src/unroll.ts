import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, type RecurrentCell } from '@nnkit/core';
import { unstackSteps } from './cell-state.js';
import { stopGradient } from './stop-gradient.js';

export interface UnrollOptions {
  /**
   * Truncated back-propagation through time: the gradient through the state goes back at most `truncate`
   * steps from the last one. The state that enters step T − k (and T − 2k, …) is cut with stopGradient, so for
   * the loss at the last step T, ∂E_T/∂s_{T−j} is the full BPTT value for j ≤ k and exactly zero for j > k.
   * (Windows are aligned to the last step; an earlier step's loss sees between 1 and k steps.) Steps count in the
   * order they run, so with `reverse` the last step is position 0. Default: none.
   */
  readonly truncate?: number;
  /**
   * (batch, time) of 1 at real steps and 0 at padding, float or int (any nonzero counts as real). At a padded step
   * the state passes through unchanged and the output is exactly 0, so padding changes neither the final state nor
   * anything read from the outputs, nor their gradients: what tfjs-layers' `rnn()` does with a mask (it also keeps
   * the previous output; nnkit zeroes it, so that a sum over outputs ignores padding). Default: every step is real.
   */
  readonly mask?: tf.Tensor2D;
  /**
   * Run from the last step to the first, as the backward half of a bidirectional encoder does; `outputs[t]` is still
   * the output at position t. With right-padding and a mask, each row's run starts at its last real step (the padded
   * steps before it keep the initial state). Default false.
   */
  readonly reverse?: boolean;
  /** Passed to every step (a cell with dropout drops only while training). Default: the cell's own (false). */
  readonly training?: boolean;
  /** Seeds the steps' randomness: the step at position t gets seed + t. Default: none. */
  readonly seed?: number;
  /** A (batch, contextSize) tensor given to every step, for a cell made with that `contextSize`. Default: none. */
  readonly context?: tf.Tensor2D;
}

export interface Unrolled {
  /** One (batch, units) output per step, in time order (also with `reverse`). */
  readonly outputs: tf.Tensor2D[];
  /** The state after the last step run (with `reverse`: after position 0). */
  readonly state: tf.Tensor2D[];
}

/**
 * Runs a recurrent cell over time: s_t = cell(x_t, s_{t−1}). The unrolled network is an ordinary feed-forward one
 * whose steps share their weights, so autodiff over it is back-propagation through time (the lecture's BPTT).
 * `inputs` is (batch, time, features) or one (batch, features) tensor per step. The intermediate tensors are
 * freed; the outputs and the state are the caller's (a state the last step left unchanged may be the one passed in).
 */
export function unroll(
  cell: RecurrentCell,
  inputs: tf.Tensor3D | readonly tf.Tensor2D[],
  state: readonly tf.Tensor2D[],
  options: UnrollOptions = {},
): Unrolled {
  const { truncate, mask, reverse = false, training, seed, context } = options;
  if (truncate !== undefined && !(Number.isInteger(truncate) && truncate >= 1)) {
    throw new ConfigError(`unroll expects truncate to be an integer ≥ 1, got ${truncate}.`, 'truncate');
  }
  if (!Array.isArray(inputs) && (inputs as tf.Tensor).rank !== 3) {
    throw new ShapeError(
      `unroll expects inputs of shape (batch, time, features) or a list of (batch, features), got shape [${(inputs as tf.Tensor).shape}].`,
    );
  }
  const time = Array.isArray(inputs) ? inputs.length : (inputs as tf.Tensor3D).shape[1];
  const batch = Array.isArray(inputs) ? (inputs as tf.Tensor2D[])[0]?.shape[0] : (inputs as tf.Tensor3D).shape[0];
  if (mask !== undefined && (mask.rank !== 2 || mask.shape[1] !== time || (batch !== undefined && mask.shape[0] !== batch))) {
    throw new ShapeError(
      `unroll expects a mask of shape (batch, time) = (${batch ?? 'batch'}, ${time}), got shape [${mask.shape}]. ` +
        `Give one row per example and one column per step, 1 at real steps and 0 at padding.`,
    );
  }
  return tf.tidy(() => {
    const steps = Array.isArray(inputs) ? (inputs as tf.Tensor2D[]) : (unstackSteps(inputs as tf.Tensor3D) as tf.Tensor2D[]);
    // (batch, 1) booleans per step, broadcast over the units by tf.where; the mask itself is never differentiated.
    const real = mask === undefined ? undefined : (unstackSteps(tf.cast(mask, 'bool')).map((m) => tf.expandDims(m, 1)) as tf.Tensor2D[]);
    const order = steps.map((_, position) => position);
    if (reverse) order.reverse();
    const outputs: tf.Tensor2D[] = new Array(time);
    let current = [...state];
    order.forEach((position, index) => {
      const t = index + 1; // steps run as t = 1 … T
      if (truncate !== undefined && t < time && (time - t) % truncate === 0) current = current.map((s) => stopGradient(s));
      const next = cell.step(steps[position]!, current, {
        training,
        seed: seed === undefined ? undefined : seed + position,
        context,
      });
      const keep = real?.[position];
      if (keep === undefined) {
        outputs[position] = next.output;
        current = next.state;
      } else {
        // A padded step: the state passes through and the output is 0. tf.where rather than m·new + (1 − m)·old: the
        // zeros are +0 (not −0), and a non-finite value the cell makes from padding cannot come through as 0·Inf = NaN.
        outputs[position] = tf.where(keep, next.output, tf.zerosLike(next.output));
        current = next.state.map((s, i) => tf.where(keep, s, current[i]!));
      }
    });
    return { outputs, state: current };
  });
}
