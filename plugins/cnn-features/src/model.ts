// The registered model `cnn-features/cnn`: its schema, presets, task and training defaults; the network is cnn.ts.
import { defineModel } from '@nnkit/core';
import { CNN_CONFIG, createCnn, type CnnFeatures } from './cnn.js';

export const cnnModel = defineModel({
  name: 'cnn',
  description: 'conv1, conv2, conv3 (conv → ReLU → 2×2 max-pool) and an MLP head; each conv layer is an image encoder',
  task: 'tasks/labelled-images',
  config: CNN_CONFIG,
  presets: {
    small: {
      description: 'widths 16-32-64, 3×3 kernels, 128 hidden units',
      config: { widths: [16, 32, 64], kernelSize: 3, hidden: 128 },
    },
    wide: {
      description: 'widths 32-64-128, 3×3 kernels, 256 hidden units with dropout 0.5',
      config: { widths: [32, 64, 128], kernelSize: 3, hidden: 256, dropout: 0.5 },
    },
    pixels: {
      description: 'no conv blocks: the same MLP head on the raw pixels, the baseline for features',
      config: { widths: [], hidden: 128 },
    },
  },
  training: { dataset: 'datasets/mnist', optimizer: { name: 'adam', learningRate: 1e-3 }, batchSize: 64, epochs: 5 },
  create: (config, { kit }) => createCnn(config, (label) => kit.random.derive(`cnn-features/cnn/${label}`)),
});

// The names this plugin registers, typed for `kit.createModel('cnn-features/cnn')` (core's registry-types.ts).
declare module '@nnkit/core' {
  interface NnkitModels {
    'cnn-features/cnn': CnnFeatures;
  }
}
