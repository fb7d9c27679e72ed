// The cell and dataset suites run on nnkit's own contributions, to show they hold for every shape a plugin can have:
// an LSTM cell (two state components), the simple RNN cell, a text corpus, an image dataset, sequence pairs and
// captioned images (the last checked through their task). testModel runs on the six built-in models, each on its own
// kind of data, in the *.conformance.test.ts files beside this one. The GRU fixture (test/fixtures/nnkit-plugin-gru),
// the tagging fixture and the package `nnkit new plugin` writes run them as third parties do.
import datasets from '@nnkit/datasets';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { testCell, testDataset } from './index.js';

const backends = ['cpu', 'wasm'] as const;

testCell('lstm/lstm', { plugins: [rnnLm(), lstm()], backends });
testCell('rnn-lm/simple', { plugins: [rnnLm()], backends });
testDataset('datasets/moby-dick', {
  plugins: [datasets()],
  options: { level: 'char', trainTokens: 5_000 },
  splits: ['train', 'validation', 'test'],
});
testDataset('datasets/mnist', {
  plugins: [datasets()],
  options: { trainLimit: 100, testLimit: 20 },
  splits: ['train', 'validation', 'test'],
});
testDataset('datasets/dates', {
  plugins: [datasets()],
  options: { train: 16, validation: 8, test: 8 },
  splits: ['train', 'validation', 'test'],
});
testDataset('datasets/digit-scenes', {
  plugins: [datasets()],
  options: { train: 8, validation: 4, test: 4 },
  splits: ['train', 'validation', 'test'],
});
