// testModel on nnkit's language models (tasks/token-streams): truncated BPTT over a few windows of Moby Dick.
import datasets from '@nnkit/datasets';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { testModel } from './index.js';

const text = { level: 'char', trainTokens: 400 };
const small = { units: 8, embedding: 4 };

testModel('rnn-lm/lm', {
  plugins: [datasets(), rnnLm()],
  config: small,
  datasetOptions: text,
  backends: ['cpu', 'wasm'],
});
testModel('lstm/lm', {
  plugins: [datasets(), rnnLm(), lstm()],
  config: small,
  datasetOptions: text,
  backends: ['cpu', 'wasm'],
});
