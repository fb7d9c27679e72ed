import type * as tf from '@tensorflow/tfjs';
import type { BackendData, KernelAttrs, KernelInputs } from './kernel-types.js';

/**
 * out[s, …] = Σ_{i : segmentIds[i] = s} x[i, …], which tfjs's wasm backend lacks: it is the gradient of
 * gather (embeddings). One pass over x in JavaScript: O(n·d) additions, no (segments × n) one-hot matrix.
 * Ids outside [0, numSegments) are dropped, as TensorFlow does.
 */
export function unsortedSegmentSum(inputs: KernelInputs, attrs: KernelAttrs, backend: BackendData): tf.TensorInfo {
  const x = inputs.x!;
  const segmentIds = inputs.segmentIds!;
  const numSegments = attrs.numSegments as number;
  const rowSize = x.shape.slice(segmentIds.shape.length).reduce((a, b) => a * b, 1);
  const values = backend.readSync(x.dataId) as Float32Array | Int32Array;
  const ids = backend.readSync(segmentIds.dataId) as Int32Array | Float32Array;
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * rowSize) : new Float32Array(numSegments * rowSize);
  for (let i = 0; i < ids.length; i++) {
    const segment = ids[i]!;
    if (segment < 0 || segment >= numSegments) continue;
    const from = i * rowSize;
    const to = segment * rowSize;
    for (let j = 0; j < rowSize; j++) out[to + j]! += values[from + j]!;
  }
  const shape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  return { dataId: backend.write(out, shape, x.dtype), shape, dtype: x.dtype };
}
