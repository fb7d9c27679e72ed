import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../use-backend.js';
import { chunkedAddN } from './chunked-add-n.js';

type KernelFunc = Parameters<typeof chunkedAddN>[0];

/**
 * chunkedAddN on the cpu backend, where it can be checked anywhere (on WebGPU it runs only where Mesa or a GPU is):
 * cpu's AddN stands in for WebGPU's, wrapped in a spy that fails, as the WebGPU shader does, past the limit.
 */
beforeAll(async () => {
  await useBackend('cpu');
});

function limitedAddN(limit: number) {
  const original = tf.getKernel('AddN', 'cpu')!.kernelFunc as unknown as KernelFunc;
  const calls: number[] = [];
  const spy: KernelFunc = (args) => {
    calls.push(args.inputs.length);
    if (args.inputs.length > limit) throw new Error(`AddN of ${args.inputs.length} inputs, past the limit of ${limit}`);
    return original(args);
  };
  return { spy, calls };
}

/** Runs the kernel on `count` tensors [1, 2], [2, 3], … and returns the values and what the backend holds after. */
function run(kernel: KernelFunc, count: number) {
  const backend = tf.backend() as unknown as {
    numDataIds(): number;
    disposeData(id: tf.DataId): void;
    readSync(id: tf.DataId): Float32Array;
  };
  const inputs = Array.from({ length: count }, (_, i) => tf.tensor1d([i + 1, i + 2]));
  const before = backend.numDataIds();
  const out = kernel({ inputs, attrs: {}, backend });
  const values = Array.from(backend.readSync(out.dataId));
  const left = backend.numDataIds() - before;
  backend.disposeData(out.dataId);
  tf.dispose(inputs);
  return { values, left, shape: out.shape };
}

describe('chunkedAddN', () => {
  it.each([1, 2, 3, 4, 7, 9, 10, 28])('sums %i inputs with at most 3 in any one AddN, freeing the partial sums', (count) => {
    const { spy, calls } = limitedAddN(3);
    const { values, left, shape } = run(
      chunkedAddN(spy, () => 3),
      count,
    );
    // Σ_{i<n} (i + 1) = n(n + 1)/2 and Σ (i + 2) = n(n + 3)/2.
    expect(values).toEqual([(count * (count + 1)) / 2, (count * (count + 3)) / 2]);
    expect(shape).toEqual([2]);
    expect(Math.max(...calls)).toBeLessThanOrEqual(3);
    if (count <= 3) expect(calls).toEqual([count]); // one call when it fits
    expect(left).toBe(1); // only the output: every partial sum was disposed
  });

  it('passes inputs that fit straight to the original kernel', () => {
    const { spy, calls } = limitedAddN(8);
    run(
      chunkedAddN(spy, () => 8),
      8,
    );
    expect(calls).toEqual([8]);
  });

  it('reads the limit at every call, and never splits below pairs', () => {
    let limit = 5;
    const { spy, calls } = limitedAddN(Infinity);
    const kernel = chunkedAddN(spy, () => limit);
    run(kernel, 10);
    expect(calls).toEqual([5, 5, 2]); // two sums of 5, then the sum of those
    calls.length = 0;
    limit = 3;
    run(kernel, 10);
    expect(calls).toEqual([3, 3, 3, 1, 3, 1, 2]); // 4 partial sums, themselves split into 3 + 1, then a pair
    calls.length = 0;
    limit = 1; // a device that reports 1 still gets sums of 2
    const { values } = run(kernel, 4);
    expect(values).toEqual([10, 14]);
    expect(Math.max(...calls)).toBe(2);
  });
});
