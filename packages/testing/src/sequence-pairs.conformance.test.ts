// testModel on nnkit's translator (tasks/sequence-pairs), on a few dates written two ways.
import datasets from '@nnkit/datasets';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import seq2seq from '@nnkit/plugin-seq2seq-attention';
import { testModel } from './index.js';

testModel('seq2seq/translator', {
  plugins: [datasets(), rnnLm(), lstm(), seq2seq()],
  config: { embedding: 4, units: 8 },
  datasetOptions: { train: 16, validation: 8, test: 0 },
  backends: ['cpu'],
});
