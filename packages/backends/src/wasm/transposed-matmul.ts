import type * as tf from '@tensorflow/tfjs';
import type { BackendData, KernelAttrs, KernelInputs } from './kernel-types.js';

type KernelFunc = (args: { inputs: KernelInputs; attrs: KernelAttrs; backend: unknown }) => tf.TensorInfo | tf.TensorInfo[];

/**
 * wasm's BatchMatMul (and _FusedMatMul) is 10–30× slower with transposeA/transposeB than without, and every
 * dense layer's backward pass asks for a transposed product. Transposing the operand first (one pass over it
 * with wasm's own Transpose) and multiplying untransposed is much faster; this wraps the original kernel so.
 */
export function untransposingMatMul(original: KernelFunc, transpose: KernelFunc): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return original({ inputs, attrs, backend });
    const temporaries: tf.TensorInfo[] = [];
    const untransposed = (operand: tf.TensorInfo): tf.TensorInfo => {
      const rank = operand.shape.length;
      const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
      const result = transpose({ inputs: { x: operand }, attrs: { perm }, backend }) as tf.TensorInfo;
      temporaries.push(result);
      return result;
    };
    const a = transposeA ? untransposed(inputs.a!) : inputs.a!;
    const b = transposeB ? untransposed(inputs.b!) : inputs.b!;
    try {
      return original({
        inputs: { ...inputs, a, b },
        attrs: { ...attrs, transposeA: false, transposeB: false },
        backend,
      });
    } finally {
      for (const t of temporaries) (backend as BackendData).disposeData(t.dataId);
    }
  };
}
