import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectClose } from '../testing/close.js';
import { useBackend } from '../use-backend.js';
import type { BackendName } from '../candidates.js';

/**
 * nnkit's wasm kernels against tfjs's reference cpu kernels: the same computation on both backends, from the
 * same inputs, compared element by element. Each run on wasm must also leave no tensor behind.
 */
async function onBoth(compute: () => tf.Tensor[]): Promise<{ cpu: number[][]; wasm: number[][] }> {
  const results: Partial<Record<BackendName, number[][]>> = {};
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    results[backend] = tf.tidy(compute).map((t) => {
      const values = Array.from(t.dataSync());
      t.dispose();
      return values;
    });
    expect(tf.memory().numTensors, `tensors left behind on ${backend}`).toBe(before);
  }
  return results as { cpu: number[][]; wasm: number[][] };
}

function expectSame({ cpu, wasm }: { cpu: number[][]; wasm: number[][] }, tolerance = { rtol: 1e-3, atol: 1e-4 }) {
  expect(wasm.length).toBe(cpu.length);
  cpu.forEach((expected, i) => expectClose(wasm[i]!, expected, tolerance));
}

/** Deterministic inputs, made as plain arrays so that each backend builds its own tensor from them. */
function normal(shape: number[], seed: number): () => tf.Tensor {
  const values = tf.tidy(() => Array.from(tf.randomNormal(shape, 0, 1, 'float32', seed).dataSync()));
  return () => tf.tensor(values, shape);
}

afterEach(async () => {
  vi.restoreAllMocks();
  await useBackend('cpu');
});

describe('Conv2DBackpropFilter on wasm (conv2d with dilation = stride)', () => {
  type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
  const cases: { x: number[]; filter: number[]; strides: number | [number, number]; pad: Pad }[] = [
    { x: [2, 8, 8, 1], filter: [5, 5, 1, 6], strides: 1, pad: 'valid' }, // LeNet-5's C1 on a small image
    { x: [3, 9, 7, 2], filter: [3, 2, 2, 4], strides: 1, pad: 'same' },
    { x: [2, 10, 10, 3], filter: [3, 3, 3, 5], strides: 2, pad: 'same' },
    { x: [2, 11, 9, 2], filter: [3, 3, 2, 3], strides: [2, 3], pad: 'valid' },
    { x: [1, 12, 12, 4], filter: [4, 4, 4, 2], strides: 3, pad: 'same' },
    { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 1 },
    {
      x: [2, 9, 8, 2],
      filter: [3, 3, 2, 3],
      strides: 2,
      pad: [
        [0, 0],
        [1, 2],
        [2, 1],
        [0, 0],
      ],
    },
    { x: [4, 14, 14, 6], filter: [5, 5, 6, 16], strides: 1, pad: 'valid' }, // LeNet-5's C3
  ];

  it.each(cases)('matches cpu for x $x, filter $filter, strides $strides, pad $pad', async ({ x, filter, strides, pad }) => {
    const makeX = normal(x, 1);
    const makeW = normal(filter, 2);
    const loss = (xs: tf.Tensor, ws: tf.Tensor) =>
      tf
        .conv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, strides, pad)
        .square()
        .sum();
    expectSame(
      await onBoth(() => {
        const [dx, dw] = tf.grads(loss)([makeX(), makeW()]);
        return [dx!, dw!];
      }),
    );
  });

  it('matches cpu when called as a kernel directly', async () => {
    const makeX = normal([3, 10, 9, 2], 3);
    const makeDy = normal([3, 5, 5, 4], 4);
    expectSame(
      await onBoth(() => [
        tf.engine().runKernel(
          'Conv2DBackpropFilter',
          { x: makeX(), dy: makeDy() },
          {
            strides: [2, 2],
            pad: 'same',
            dataFormat: 'NHWC',
            filterShape: [3, 3, 2, 4],
          },
        ) as tf.Tensor,
      ]),
    );
  });

  it.each([
    [2, 1],
    [1, 2],
    [3, 3],
  ])('relies on wasm conv2d with dilation [%i, %i], which matches cpu', async (dh, dw) => {
    const makeX = normal([2, 12, 11, 3], 5);
    const makeW = normal([3, 2, 3, 4], 6);
    expectSame(await onBoth(() => [tf.conv2d(makeX() as tf.Tensor4D, makeW() as tf.Tensor4D, 1, 'valid', 'NHWC', [dh, dw])]));
  });
});

describe('Conv2DBackpropInput on wasm (stride 1 as a conv2d with the rotated filter)', () => {
  it.each([
    { x: [2, 8, 8, 3], filter: [5, 5, 3, 4], strides: 1, pad: 'valid' as const },
    { x: [2, 9, 7, 2], filter: [3, 2, 2, 3], strides: 1, pad: 'same' as const },
    { x: [1, 6, 6, 2], filter: [4, 4, 2, 2], strides: 1, pad: 'same' as const }, // even kernel: uneven padding
    { x: [2, 7, 7, 3], filter: [3, 3, 3, 2], strides: 1, pad: 2 },
    { x: [2, 9, 9, 2], filter: [3, 3, 2, 3], strides: 2, pad: 'same' as const }, // strided: wasm's own kernel
  ])('matches cpu for x $x, filter $filter, strides $strides, pad $pad', async ({ x, filter, strides, pad }) => {
    const makeX = normal(x, 20);
    const makeW = normal(filter, 21);
    expectSame(
      await onBoth(() => [
        tf.grad((xs: tf.Tensor) =>
          tf
            .conv2d(xs as tf.Tensor4D, makeW() as tf.Tensor4D, strides, pad)
            .square()
            .sum(),
        )(makeX()),
      ]),
    );
  });
});

describe('MaxPoolGrad on wasm (gradient to the first maximum of each window)', () => {
  it.each([
    { x: [2, 8, 8, 3], size: 2, strides: 2, pad: 'valid' as const },
    { x: [2, 9, 7, 2], size: 3, strides: 2, pad: 'same' as const },
    { x: [1, 7, 7, 2], size: 3, strides: 1, pad: 'valid' as const }, // overlapping windows
    { x: [2, 5, 6, 1], size: 2, strides: 3, pad: 'same' as const },
  ])('matches cpu for x $x, size $size, strides $strides, pad $pad', async ({ x, size, strides, pad }) => {
    const makeX = normal(x, 22);
    // Each output weighted differently, so that a gradient sent to the wrong window shows.
    const weighted = (pooled: tf.Tensor) => pooled.mul(tf.range(1, 1 + pooled.size).reshape(pooled.shape)).sum();
    expectSame(await onBoth(() => [tf.grad((xs: tf.Tensor) => weighted(tf.maxPool(xs as tf.Tensor4D, size, strides, pad)))(makeX())]));
  });

  it('breaks ties as cpu does: the first maximum in row-major order gets the gradient', async () => {
    const tied = () => tf.tensor4d([5, 5, 5, 5, 1, 5, 3, 0], [1, 2, 4, 1]);
    const result = await onBoth(() => [tf.grad((xs: tf.Tensor) => tf.maxPool(xs as tf.Tensor4D, 2, 2, 'valid').sum())(tied())]);
    expect(result.wasm[0]).toEqual([1, 0, 1, 0, 0, 0, 0, 0]);
    expectSame(result);
  });

  it("reproduces the lecture's patch: gradient 1 at the maximum 8, 0 elsewhere", async () => {
    const result = await onBoth(() => [
      tf.grad((xs: tf.Tensor) => tf.maxPool(xs as tf.Tensor4D, 2, 2, 'valid').sum())(tf.tensor4d([6, 8, 3, 5], [1, 2, 2, 1])),
    ]);
    expect(result.wasm[0]).toEqual([0, 1, 0, 0]);
  });
});

describe('UnsortedSegmentSum on wasm (gather and embedding gradients)', () => {
  it('sums rows by segment and drops ids out of range, as cpu does', async () => {
    const ids = [0, 2, 2, 5, -1, 1];
    const makeData = normal([6, 3, 2], 7);
    expectSame(await onBoth(() => [tf.unsortedSegmentSum(makeData(), tf.tensor1d(ids, 'int32'), 4)]), {
      rtol: 1e-6,
      atol: 1e-6,
    });
    await useBackend('wasm');
    const exact = tf.tidy(() =>
      tf
        .unsortedSegmentSum(
          tf.tensor2d([
            [1, 2],
            [3, 4],
            [5, 6],
          ]),
          tf.tensor1d([1, 1, 0], 'int32'),
          3,
        )
        .arraySync(),
    );
    expect(exact).toEqual([
      [5, 6],
      [4, 6],
      [0, 0],
    ]);
  });

  it('gives the embedding gradient of tf.gather, as cpu does', async () => {
    const makeTable = normal([10, 4], 8);
    const indices = [
      [1, 3, 3],
      [9, 0, 1],
    ];
    expectSame(
      await onBoth(() => [
        tf.grad((table: tf.Tensor) =>
          tf
            .gather(table, tf.tensor2d(indices, [2, 3], 'int32'))
            .square()
            .sum(),
        )(makeTable()),
      ]),
    );
  });
});

describe('BatchMatMul and _FusedMatMul with transposed operands on wasm', () => {
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('matMul(transposeA %s, transposeB %s) matches cpu, rank 2 and 3', async (ta, tb) => {
    const a2 = normal(ta ? [7, 5] : [5, 7], 9);
    const b2 = normal(tb ? [3, 7] : [7, 3], 10);
    const a3 = normal(ta ? [4, 7, 5] : [4, 5, 7], 11);
    const b3 = normal(tb ? [4, 3, 7] : [4, 7, 3], 12);
    expectSame(await onBoth(() => [tf.matMul(a2(), b2(), ta, tb), tf.matMul(a3(), b3(), ta, tb)]));
  });

  it('fused matMul with bias and relu, transposed, matches cpu', async () => {
    const a = normal([6, 5], 13);
    const b = normal([4, 6], 14);
    const bias = normal([4], 15);
    expectSame(
      await onBoth(() => [tf.fused.matMul({ a: a(), b: b(), transposeA: true, transposeB: true, bias: bias(), activation: 'relu' })]),
    );
  });

  it('dense-layer gradients (which multiply transposed operands) match cpu', async () => {
    const x = normal([8, 6], 16);
    const w = normal([6, 3], 17);
    const loss = (xs: tf.Tensor, ws: tf.Tensor) => tf.tanh(tf.matMul(xs, ws)).sum();
    expectSame(await onBoth(() => tf.grads(loss)([x(), w()])));
  });
});

describe('the copying bridge to cpu for kernels wasm lacks', () => {
  it('runs Einsum on wasm with cpu results', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const a = normal([3, 4], 18);
    const b = normal([4, 2], 19);
    expectSame(await onBoth(() => [tf.einsum('ij,jk->ik', a(), b()), tf.einsum('ij,jk->ik', a(), b())]));
    expect(tf.getKernel('Einsum', 'wasm')).toBeDefined();
  });

  it('warns exactly once, naming the kernel, however often it runs', async () => {
    // A fresh copy of the bridge's module, whose record of kernels already warned about is empty whatever ran
    // before in this process, registered for Einsum in place of the one prepareWasm registered.
    vi.resetModules();
    const { cpuBridge } = await import('./cpu-bridge.js');
    await useBackend('wasm');
    const registered = tf.getKernel('Einsum', 'wasm')!;
    tf.unregisterKernel('Einsum', 'wasm');
    tf.registerKernel({
      kernelName: 'Einsum',
      backendName: 'wasm',
      kernelFunc: cpuBridge('Einsum', 'wasm') as tf.KernelFunc,
    });
    try {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const a = normal([3, 4], 18);
      const b = normal([4, 2], 19);
      for (let i = 0; i < 3; i++) tf.tidy(() => tf.einsum('ij,jk->ik', a(), b()).dataSync());
      // Exactly nnkit's one warning: not one per call, and not tfjs's "install our node backend" banner, which the
      // cpu backend would print on its first write (the bridge mutes it, as useBackend('cpu') does).
      expect(warn.mock.calls).toEqual([
        ["nnkit: the wasm backend has no 'Einsum' kernel; running it on the cpu backend (correct, but slow)."],
      ]);
    } finally {
      tf.unregisterKernel('Einsum', 'wasm');
      tf.registerKernel(registered);
    }
  });

  it('covers every kernel the cpu backend has', async () => {
    await useBackend('wasm');
    const wasm = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    const missing = tf
      .getKernelsForBackend('cpu')
      .map((k) => k.kernelName)
      .filter((name) => !wasm.has(name));
    expect(missing).toEqual([]);
  });
});
