import * as tf from '@tensorflow/tfjs';

export interface GradientCheckOptions {
  /** Finite-difference step (default 1e-2: float32 leaves about 7 digits, so smaller steps drown in rounding). */
  readonly epsilon?: number;
  /** Allowed |autodiff − numeric| ≤ atol + rtol·|numeric| (defaults 1e-2 and 1e-3). */
  readonly rtol?: number;
  readonly atol?: number;
  /** Check at most this many elements per input, spread evenly (default 64), to keep big inputs cheap. */
  readonly maxElementsPerInput?: number;
}

export interface GradientMismatch {
  readonly input: number;
  readonly index: number;
  readonly autodiff: number;
  readonly numeric: number;
}

export interface GradientCheck {
  readonly ok: boolean;
  /** Elements compared, over all inputs. */
  readonly checked: number;
  readonly maxAbsoluteError: number;
  /** The elements outside the tolerance. */
  readonly mismatches: readonly GradientMismatch[];
}

/**
 * Compares autodiff's gradient of a scalar function with central finite differences, (f(x + ε) − f(x − ε)) / 2ε,
 * element by element: the test every op and layer in nnkit has, exported for plugin authors' tests. Reads values
 * with `await data()`, so it runs on every backend. Leaves no tensor behind.
 */
export async function checkGradients(
  f: (...inputs: tf.Tensor[]) => tf.Scalar,
  inputs: readonly tf.Tensor[],
  options: GradientCheckOptions = {},
): Promise<GradientCheck> {
  const { epsilon = 1e-2, rtol = 1e-2, atol = 1e-3, maxElementsPerInput = 64 } = options;
  const gradients = tf.grads(f)([...inputs]);
  const autodiff = await Promise.all(gradients.map((g) => g.data()));
  tf.dispose(gradients);
  const evaluate = async (replaced: tf.Tensor[]) => {
    const value = tf.tidy(() => f(...replaced));
    const [result] = await value.data();
    value.dispose();
    return result!;
  };
  const mismatches: GradientMismatch[] = [];
  let checked = 0;
  let maxAbsoluteError = 0;
  for (let which = 0; which < inputs.length; which++) {
    const input = inputs[which]!;
    const base = (await input.data()) as Float32Array;
    const stride = Math.max(1, Math.floor(base.length / maxElementsPerInput));
    for (let index = 0; index < base.length; index += stride) {
      const shifted = async (delta: number) => {
        const values = base.slice();
        values[index]! += delta;
        const moved = tf.tensor(values, input.shape, input.dtype);
        const replaced = inputs.map((t, i) => (i === which ? moved : t));
        try {
          return await evaluate(replaced);
        } finally {
          moved.dispose();
        }
      };
      const numeric = ((await shifted(epsilon)) - (await shifted(-epsilon))) / (2 * epsilon);
      const analytic = autodiff[which]![index]!;
      const error = Math.abs(analytic - numeric);
      maxAbsoluteError = Math.max(maxAbsoluteError, error);
      if (!(error <= atol + rtol * Math.abs(numeric))) mismatches.push({ input: which, index, autodiff: analytic, numeric });
      checked++;
    }
  }
  return { ok: mismatches.length === 0, checked, maxAbsoluteError, mismatches };
}
