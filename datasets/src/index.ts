import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { mnist } from './mnist/mnist.js';

/** nnkit's datasets as a plugin: `datasets/mnist`. */
export default function datasetsPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/datasets', version: '1.0.0', namespace: 'datasets', nnkit: '^1.0.0' },
    datasets: [mnist],
  });
}

export { readIdx, type IdxArray } from './mnist/idx.js';
export { loadMnist, readMnistSplit, mnistExamples, mnistDir, MNIST_FILES, type MnistOptions, type MnistImages } from './mnist/mnist.js';
export { toMnistDigit } from './mnist/digit-image.js';
