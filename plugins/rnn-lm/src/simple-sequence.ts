import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@nnkit/core';

/**
 * The simple RNN over a whole sequence, s_t = tanh(x_t U + s_{t−1} W + b), as one op with back-propagation through
 * time written out: inputs (time, batch, in) time-major, s₀ (batch, units) → every s_t, (time, batch, units).
 *
 * Stepping the cell lets autodiff record five ops a step and about twice that backward, and it accumulates ∂U and
 * ∂W one step at a time. Here every step's x_t U is one product before the loop, and backward each step costs a
 * product and two element-wise ops, δ_t = (∂s_t + δ_{t+1} Wᵀ) ∘ (1 − s_t²); ∂U, ∂W, ∂b and ∂x are then one
 * product each over all the steps' δ. Tested against the stepped cell, values and gradients, on every backend.
 */
export function simpleRnnSequence(
  inputs: tf.Tensor3D,
  initial: tf.Tensor2D,
  input: tf.Tensor2D | tf.Variable,
  recurrent: tf.Tensor2D | tf.Variable,
  bias: tf.Tensor1D | tf.Variable,
): tf.Tensor3D {
  const [time, batch, inputSize] = inputs.shape;
  const units = recurrent.shape[1]!;
  // ∂s₀ comes back (batch, units): a state that would broadcast forward (1, units) would fail only in the backward pass.
  if (initial === undefined || initial.rank !== 2 || initial.shape[0] !== batch || initial.shape[1] !== units)
    throw new ShapeError(
      `The simple RNN's sequence expects the initial state s₀ of shape (batch ${batch}, units ${units}), got ${initial === undefined ? 'none' : `shape [${initial.shape}]`}. Make it with zeroState(cell, ${batch}) or carry the last step's state.`,
    );
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, s0, u, w, b] = args as tf.Tensor[];
    const save = args[5] as tf.GradSaveFunc;
    const projected = tf.add(tf.reshape(tf.matMul(tf.reshape(x!, [time * batch, inputSize]), u as tf.Tensor2D), [time, batch, units]), b!);
    const states: tf.Tensor2D[] = [];
    let state = s0 as tf.Tensor2D;
    for (const xu of tf.unstack(projected) as tf.Tensor2D[]) {
      state = tf.tanh(tf.add(xu, tf.matMul(state, w as tf.Tensor2D))) as tf.Tensor2D;
      states.push(state);
    }
    const outputs = tf.stack(states) as tf.Tensor3D;
    save([x!, s0!, u!, w!, outputs]);
    return {
      value: outputs,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [sx, ss0, su, sw, so] = saved as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor3D];
          const slopes = tf.unstack(tf.sub(1, tf.square(so))) as tf.Tensor2D[]; // tanh′ at every step, 1 − s_t²
          const upstream = tf.unstack(dy) as tf.Tensor2D[];
          const deltas: tf.Tensor2D[] = new Array(time);
          let carried: tf.Tensor2D | undefined; // δ_{t+1} Wᵀ, what s_t's gradient gets from the next step
          for (let t = time - 1; t >= 0; t--) {
            const reaching = carried === undefined ? upstream[t]! : (tf.add(upstream[t]!, carried) as tf.Tensor2D);
            deltas[t] = tf.mul(reaching, slopes[t]!) as tf.Tensor2D;
            carried = tf.matMul(deltas[t]!, sw, false, true) as tf.Tensor2D;
          }
          const delta = tf.reshape(tf.stack(deltas), [time * batch, units]);
          const previous = tf.concat([tf.expandDims(ss0, 0), tf.slice(so, [0, 0, 0], [time - 1, -1, -1])], 0); // s_{t−1}
          return [
            tf.reshape(tf.matMul(delta, su, false, true), [time, batch, inputSize]), // inputs
            carried ?? tf.zerosLike(ss0), // s₀
            tf.matMul(tf.reshape(sx, [time * batch, inputSize]), delta, true, false), // U
            tf.matMul(tf.reshape(previous, [time * batch, units]), delta, true, false), // W
            tf.sum(delta, 0), // b
          ];
        }),
    };
  });
  return tf.tidy(() => run(inputs, initial, input, recurrent, bias) as tf.Tensor3D);
}
