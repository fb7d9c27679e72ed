import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '@nnkit/core';

export interface WeightGradientOptions {
  /** Length of the step along the direction (default 1e-3; float32 leaves about 7 digits, so much smaller steps drown in rounding). */
  readonly epsilon?: number;
  /**
   * The standard deviation of the noise added to every weight first (default 0.05): a ReLU at a bias of exactly zero
   * (the usual start) has no derivative there, and finite differences straddle the kink for every blank pixel.
   */
  readonly jitter?: number;
  /**
   * Allowed |autodiff − numeric| ≤ atol + rtol·max(|autodiff|, |numeric|) (defaults 0.25 and 1e-3). A gradient off by
   * a factor (doubled, halved) is off by half of the larger value, so it fails; finite differences of a CNN cross
   * ReLU and max-pool kinks at every step size float32 allows, which leaves them ±15% off on its biases.
   */
  readonly rtol?: number;
  readonly atol?: number;
  /** Seeds the random directions. */
  readonly seed?: number;
}

/**
 * Checks autodiff's gradient of `loss` for each trainable weight against central finite differences along one
 * random direction d of unit norm in that weight: (L(w + εd) − L(w − εd)) / 2ε must equal ∇L · d. One direction
 * per weight costs two forward passes, so a whole model is checked where element-by-element differences would
 * take thousands; a wrong backward pass (a custom op whose gradient is scaled) shows in every direction it reaches.
 * The weights are jittered first and left so (check a model made for the purpose); each is then moved in place
 * (assign) and put back. Returns one line per weight outside the tolerance.
 */
export async function weightGradientMismatches(
  loss: () => tf.Scalar,
  weights: Readonly<Record<string, tf.Variable>>,
  options: WeightGradientOptions = {},
): Promise<string[]> {
  const { epsilon = 1e-3, rtol = 0.25, atol = 1e-3, jitter = 0.05, seed = 1 } = options;
  const trainable = Object.entries(weights).filter(([, weight]) => weight.trainable);
  const random = mulberry32(seed);
  const nextSeed = () => Math.floor(random() * 2 ** 31); // one seed for each random tensor drawn
  for (const [, weight] of trainable)
    tf.tidy(() => weight.assign(tf.add(weight, tf.randomNormal(weight.shape, 0, jitter, 'float32', nextSeed()))));
  const { value, grads } = tf.variableGrads(
    loss,
    trainable.map(([, weight]) => weight),
  );
  value.dispose();
  const valueAt = async () => {
    const v = tf.tidy(loss);
    const [result] = await v.data();
    v.dispose();
    return result!;
  };
  const mismatches: string[] = [];
  for (const [name, weight] of trainable) {
    const base = tf.clone(weight);
    const direction = tf.tidy(() => {
      const d = tf.randomNormal(weight.shape, 0, 1, 'float32', nextSeed());
      return tf.div(d, tf.norm(d));
    });
    const gradient = grads[weight.name];
    const projected = gradient ? tf.tidy(() => tf.sum(tf.mul(gradient, direction))) : tf.scalar(0);
    const [analytic] = await projected.data();
    projected.dispose();
    const at = async (step: number) => {
      tf.tidy(() => weight.assign(tf.add(base, tf.mul(direction, step))));
      return valueAt();
    };
    const numeric = ((await at(epsilon)) - (await at(-epsilon))) / (2 * epsilon);
    weight.assign(base);
    tf.dispose([base, direction]);
    if (!(Math.abs(analytic! - numeric) <= atol + rtol * Math.max(Math.abs(analytic!), Math.abs(numeric)))) {
      mismatches.push(
        `${name}: autodiff ${analytic!.toPrecision(4)}, finite differences ${numeric.toPrecision(4)} (along a random direction)`,
      );
    }
  }
  tf.dispose(Object.values(grads));
  return mismatches;
}
