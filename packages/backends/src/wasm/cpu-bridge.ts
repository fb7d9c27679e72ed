import * as tf from '@tensorflow/tfjs';
import type { BackendData, KernelAttrs, KernelInputs } from './kernel-types.js';

const warned = new Set<string>();

/**
 * A kernel for `backendName` that runs tfjs's cpu kernel of the same name: it copies the inputs to the cpu
 * backend, runs the kernel there and copies the outputs back. Correct for any kernel, but slow, so the first
 * use of each warns once with the kernel's name.
 */
export function cpuBridge(kernelName: string, backendName: string) {
  return ({ inputs, attrs, backend }: { inputs: KernelInputs; attrs: KernelAttrs; backend: unknown }): tf.TensorInfo | tf.TensorInfo[] => {
    if (!warned.has(kernelName)) {
      warned.add(kernelName);
      console.warn(`nnkit: the ${backendName} backend has no '${kernelName}' kernel; running it on the cpu backend (correct, but slow).`);
    }
    const here = backend as BackendData;
    const cpu = tf.findBackend('cpu') as unknown as BackendData | null;
    const kernel = tf.getKernel(kernelName, 'cpu');
    if (!cpu || !kernel) throw new Error(`nnkit's cpu bridge needs the cpu backend and its '${kernelName}' kernel.`);
    // The cpu backend prints tfjs's "install the node backend" banner on its first write: nnkit's own warning above says what happens.
    (cpu as { firstUse?: boolean }).firstUse = false;
    // Some kernels (Einsum, AddN, Concat) take their inputs as an array: keep the container's kind.
    const cpuInputs: KernelInputs = (Array.isArray(inputs) ? [] : {}) as KernelInputs;
    for (const [name, info] of Object.entries(inputs)) {
      if (!info) continue;
      cpuInputs[name] = {
        dataId: cpu.write(here.readSync(info.dataId), info.shape, info.dtype),
        shape: info.shape,
        dtype: info.dtype,
      };
    }
    try {
      const outputs = kernel.kernelFunc({ inputs: cpuInputs, attrs: attrs as tf.NamedAttrMap, backend: cpu as never });
      const copyBack = (out: tf.TensorInfo): tf.TensorInfo => {
        const copy = {
          dataId: here.write(cpu.readSync(out.dataId), out.shape, out.dtype),
          shape: out.shape,
          dtype: out.dtype,
        };
        cpu.disposeData(out.dataId);
        return copy;
      };
      return Array.isArray(outputs) ? outputs.map(copyBack) : copyBack(outputs);
    } finally {
      for (const info of Object.values(cpuInputs)) cpu.disposeData(info.dataId);
    }
  };
}

/** Kernels that `from` has and `to` lacks. */
export function missingKernels(from: string, to: string): string[] {
  const present = new Set(tf.getKernelsForBackend(to).map((k) => k.kernelName));
  return tf
    .getKernelsForBackend(from)
    .map((k) => k.kernelName)
    .filter((name) => !present.has(name));
}
