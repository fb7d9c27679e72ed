import * as tf from '@tensorflow/tfjs';

/**
 * A score far below any real one: exp(−1e9 − max) is exactly 0 in float32, so padded positions get no weight and
 * the weights of the real ones sum to 1 (the mask's multiplication afterwards makes the zeros exact in any case).
 */
const MASKED_SCORE = -1e9;

/** The scores with every padded one (where `real` is false) replaced by −1e9: tf.where, so nothing non-finite there comes through. */
const maskScores = (scores: tf.Tensor2D, real: tf.Tensor2D) => tf.where(real, scores, tf.fill(scores.shape, MASKED_SCORE));

/**
 * softmax over the real positions of each row (where `mask` is nonzero): padded scores are replaced by −1e9 before the
 * softmax (tf.where, so no gradient reaches them) and the result is multiplied by the mask, so padding gets exactly 0
 * and the real positions sum to 1. The mask is data, never differentiated. `attendValues` computes the same weights.
 */
export function maskedSoftmax(scores: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const real = tf.cast(mask, 'bool');
    return tf.mul(tf.softmax(maskScores(scores, real)), tf.cast(real, 'float32'));
  });
}

/**
 * Additive attention's scores (Bahdanau et al. 2015, eq. 6; Xu et al. 2015), v · tanh(k_j + W q) for every position j
 * at once: query (batch, Q), keys (batch, S, A) — the values already projected, U h̄_j + b — queryKernel W (Q, A),
 * scoreKernel v (A, 1) → (batch, S).
 *
 * A decoder calls it once per step, so its gradient is written out (a dozen kernels, where autodiff over the same ops
 * runs about thirty): ∂pre = (∂s ⊗ v) ∘ (1 − e²) is the keys' gradient, its sum over positions the projected
 * query's. Tested against autodiff over the plain ops, on every backend.
 */
export function additiveScores(
  query: tf.Tensor2D,
  keys: tf.Tensor3D,
  queryKernel: tf.Tensor2D | tf.Variable,
  scoreKernel: tf.Tensor2D | tf.Variable,
): tf.Tensor2D {
  const [batch, positions, size] = keys.shape;
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [q, k, w, v] = args as tf.Tensor2D[];
    const save = args[4] as tf.GradSaveFunc;
    const energy = tf.tanh(tf.add(k!, tf.reshape(tf.matMul(q!, w!), [batch, 1, size]))); // (batch, S, A)
    const flatEnergy = tf.reshape(energy, [batch * positions, size]);
    save([q!, w!, v!, flatEnergy]);
    return {
      value: tf.reshape(tf.matMul(flatEnergy, v!), [batch, positions]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [sq, sw, sv, e] = saved as tf.Tensor2D[];
          const dScores = tf.reshape(dy, [batch * positions, 1]);
          const dPre = tf.mul(tf.matMul(dScores, sv!, false, true), tf.sub(1, tf.square(e!))); // (batch·S, A)
          const dProjected = tf.sum(tf.reshape(dPre, [batch, positions, size]), 1); // (batch, A)
          return [
            tf.matMul(dProjected, sw!, false, true), // query
            tf.reshape(dPre, [batch, positions, size]), // keys
            tf.matMul(sq!, dProjected, true, false), // queryKernel
            tf.matMul(e!, dScores, true, false), // scoreKernel
          ];
        }),
    };
  });
  return tf.tidy(() => run(query, keys, queryKernel, scoreKernel) as tf.Tensor2D);
}

/**
 * Attention's read of the values from scores (batch, S): weights = softmax over the real positions (exactly 0 at padded
 * ones, where `mask` (batch, S) is 0; every position without a mask), and the context Σ_j a_j v_j, (batch, E), from
 * values (batch, S, E). The mask is data, never differentiated.
 *
 * Like additiveScores, a decoder calls it once per step, and its gradient is written out: ∂values = a ⊗ ∂c;
 * ∂a = ∂weights + values · ∂c; ∂scores = p ∘ (∂a·m − Σ p ∘ ∂a·m).
 */
export function attendValues(
  scores: tf.Tensor2D,
  values: tf.Tensor3D,
  mask?: tf.Tensor2D,
): { readonly weights: tf.Tensor2D; readonly context: tf.Tensor2D } {
  const [batch, positions, size] = values.shape;
  // The mask as exact 0/1 (any nonzero is real), and as booleans for tf.where.
  const run = (real: tf.Tensor2D | undefined, realMask: tf.Tensor2D | undefined) =>
    tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [s, v] = args as [tf.Tensor2D, tf.Tensor3D];
      const save = args[2] as tf.GradSaveFunc;
      const p = real ? tf.softmax(maskScores(s, real)) : tf.softmax(s);
      const weights = realMask ? tf.mul(p, realMask) : p;
      const context = tf.reshape(tf.matMul(tf.reshape(weights, [batch, 1, positions]), v), [batch, size]);
      save([p, weights, v, ...(realMask ? [realMask] : [])]);
      return {
        value: tf.concat([weights, context], 1),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
          tf.tidy(() => {
            const [sp, sweights, sv, savedMask] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor3D, tf.Tensor2D?];
            const [dWeights, dContext] = tf.split(dy, [positions, size], 1);
            const dValues = tf.matMul(tf.reshape(sweights, [batch, positions, 1]), tf.reshape(dContext!, [batch, 1, size]));
            const dRead = tf.add(dWeights!, tf.reshape(tf.matMul(sv, tf.reshape(dContext!, [batch, size, 1])), [batch, positions]));
            const dP = savedMask ? tf.mul(dRead, savedMask) : dRead;
            const dScores = tf.mul(sp, tf.sub(dP, tf.sum(tf.mul(dP, sp), 1, true)));
            return [dScores, dValues];
          }),
      };
    });
  return tf.tidy(() => {
    const real = mask && (tf.cast(mask, 'bool') as tf.Tensor2D);
    const joined = run(real, real && (tf.cast(real, 'float32') as tf.Tensor2D))(scores, values);
    const [weights, context] = tf.split(joined, [positions, size], 1) as [tf.Tensor2D, tf.Tensor2D];
    return { weights: weights!, context: context! };
  });
}
