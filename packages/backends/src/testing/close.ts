import type * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

export interface Tolerance {
  /** Relative tolerance (default 1e-4): allowed |a − e| grows with |e|. */
  readonly rtol?: number;
  /** Absolute tolerance (default 1e-5): what is allowed near zero. */
  readonly atol?: number;
}

function flat(value: tf.Tensor | ArrayLike<number> | number): number[] {
  if (typeof value === 'number') return [value];
  if ('dataSync' in value) return Array.from(value.dataSync());
  return Array.from(value);
}

/** Asserts |actual − expected| ≤ atol + rtol·|expected| elementwise (as numpy's allclose), naming the worst element. */
export function expectClose(
  actual: tf.Tensor | ArrayLike<number> | number,
  expected: tf.Tensor | ArrayLike<number> | number,
  tolerance: Tolerance = {},
): void {
  const { rtol = 1e-4, atol = 1e-5 } = tolerance;
  const a = flat(actual);
  const e = flat(expected);
  expect(a.length, 'number of elements').toBe(e.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const excess = Math.abs(a[i]! - e[i]!) - (atol + rtol * Math.abs(e[i]!));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`element ${worst} is ${a[worst]}, expected ${e[worst]} (rtol ${rtol}, atol ${atol}); ${a.length} elements`);
  }
}
