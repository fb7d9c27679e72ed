import type * as tf from '@tensorflow/tfjs';

type KernelFunc = (args: { inputs: tf.TensorInfo[]; attrs: tf.NamedAttrMap; backend: unknown }) => tf.TensorInfo;

/**
 * tfjs's WebGPU AddN binds every input as a storage buffer in one shader, and fails (an invalid pipeline, then
 * zeros) past the device's `maxStorageBuffersPerShaderStage` − 1 inputs; in compatibility mode (Mesa's GLES)
 * that is 3, and the sum of an unrolled RNN's per-step losses has many more. Its Concat already splits its
 * inputs this way; this does the same for AddN: sums of at most `maxInputs`, then a sum of those.
 */
export function chunkedAddN(original: KernelFunc, maxInputs: () => number): KernelFunc {
  const addN: KernelFunc = ({ inputs, attrs, backend }) => {
    const limit = Math.max(2, maxInputs());
    if (inputs.length <= limit) return original({ inputs, attrs, backend });
    const partial: tf.TensorInfo[] = [];
    for (let i = 0; i < inputs.length; i += limit) partial.push(addN({ inputs: inputs.slice(i, i + limit), attrs, backend }));
    try {
      return addN({ inputs: partial, attrs, backend });
    } finally {
      for (const t of partial) (backend as { disposeData(id: tf.DataId): void }).disposeData(t.dataId);
    }
  };
  return addN;
}
