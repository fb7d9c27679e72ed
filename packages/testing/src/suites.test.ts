// The conformance suites run on nnkit's own contributions, to show they hold for every shape a plugin can have: an
// LSTM cell (two state components), a language model trained with truncated BPTT on a token corpus, a CNN on
// MNIST examples, a text corpus and an image dataset. The GRU fixture (test/fixtures/nnkit-plugin-gru) and the
// package `nnkit new plugin` writes run them as third parties do.
import datasets from '@nnkit/datasets';
import lenet5 from '@nnkit/plugin-lenet5';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { testCell, testDataset, testModel } from './index.js';

const backends = ['cpu', 'wasm'] as const;

testCell('lstm/lstm', { plugins: [rnnLm(), lstm()], backends });
testCell('rnn-lm/simple', { plugins: [rnnLm()], backends });
testModel('lstm/lm', { plugins: [datasets(), rnnLm(), lstm()], config: { units: 8, embedding: 4 }, datasetOptions: { level: 'char', trainTokens: 2_000 }, backends });
testModel('lenet5/lenet5', { plugins: [datasets(), lenet5()], datasetOptions: { trainLimit: 64, testLimit: 16 }, backends: ['wasm'] });
testDataset('datasets/moby-dick', { plugins: [datasets()], options: { level: 'char', trainTokens: 5_000 }, splits: ['train', 'validation', 'test'] });
testDataset('datasets/mnist', { plugins: [datasets()], options: { trainLimit: 100, testLimit: 20 }, splits: ['train', 'validation', 'test'] });
