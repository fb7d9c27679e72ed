// testModel on nnkit's models of labelled images (tasks/labelled-images), on a few MNIST digits.
import datasets from '@nnkit/datasets';
import cnnFeatures from '@nnkit/plugin-cnn-features';
import lenet5 from '@nnkit/plugin-lenet5';
import { testModel } from './index.js';

const digits = { trainLimit: 64, testLimit: 16 };

// LeNet-5's training step on the reference backend too (its own tests check its shapes and messages only).
testModel('lenet5/lenet5', { plugins: [datasets(), lenet5()], datasetOptions: digits, backends: ['cpu', 'wasm'] });
testModel('cnn-features/cnn', {
  plugins: [datasets(), cnnFeatures()],
  config: { widths: [4, 8], hidden: 16 },
  datasetOptions: digits,
  backends: ['wasm'],
});
