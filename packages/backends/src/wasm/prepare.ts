import * as tf from '@tensorflow/tfjs';
import { importOptional } from '../candidates.js';
import { conv2dBackpropFilterOnConv } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputOnConv } from './conv2d-backprop-input.js';
import { cpuBridge, missingKernels } from './cpu-bridge.js';
import type { BackendData, KernelAttrs, KernelInputs } from './kernel-types.js';
import { maxPoolGrad } from './max-pool-grad.js';
import { untransposingMatMul } from './transposed-matmul.js';
import { unsortedSegmentSum } from './unsorted-segment-sum.js';

let extended = false;

/** Loads tfjs's WebAssembly backend and gives it the kernels it needs to train every nnkit model. */
export async function prepareWasm(): Promise<void> {
  await importOptional('@tensorflow/tfjs-backend-wasm', 'pnpm add @tensorflow/tfjs-backend-wasm');
  if (!extended) {
    extendWasmKernels();
    extended = true;
  }
}

type Args = { inputs: KernelInputs; attrs: KernelAttrs; backend: unknown };

/**
 * Registers, for wasm: a fast Conv2DBackpropFilter and UnsortedSegmentSum, a stride-1 Conv2DBackpropInput on
 * XNNPACK, a one-pass MaxPoolGrad, an untransposing BatchMatMul and _FusedMatMul, and a copying bridge to cpu for every other kernel that cpu has and wasm lacks.
 */
export function extendWasmKernels(): void {
  const kernels: Record<string, (args: Args) => tf.TensorInfo> = {
    Conv2DBackpropFilter: ({ inputs, attrs }) => conv2dBackpropFilterOnConv(inputs, attrs),
    UnsortedSegmentSum: ({ inputs, attrs, backend }) => unsortedSegmentSum(inputs, attrs, backend as BackendData),
    MaxPoolGrad: ({ inputs, attrs, backend }) => maxPoolGrad(inputs, attrs, backend as BackendData),
  };
  for (const [kernelName, kernelFunc] of Object.entries(kernels)) {
    if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc });
  }
  const backpropInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (backpropInput) {
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    tf.registerKernel({
      ...backpropInput,
      kernelFunc: ((args: Args) =>
        conv2dBackpropInputOnConv(args.inputs, args.attrs) ?? backpropInput.kernelFunc(args as never)) as tf.KernelFunc,
    });
  }
  const transpose = tf.getKernel('Transpose', 'wasm')!.kernelFunc as never;
  for (const kernelName of ['BatchMatMul', '_FusedMatMul']) {
    const original = tf.getKernel(kernelName, 'wasm');
    if (!original) continue;
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({
      ...original,
      kernelFunc: untransposingMatMul(original.kernelFunc as never, transpose) as tf.KernelFunc,
    });
  }
  for (const kernelName of missingKernels('cpu', 'wasm')) {
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: cpuBridge(kernelName, 'wasm') as tf.KernelFunc });
  }
}
