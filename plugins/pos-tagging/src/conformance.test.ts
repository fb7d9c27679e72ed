import datasets from '@nnkit/datasets';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { testModel } from '@nnkit/testing';
import posTagging from './index.js';

// nnkit's model contract for both taggers, on a few silver-tagged Moby Dick sentences: making, seeding, gradients,
// training steps on every backend without leaks, scoring through the task, saving and loading.
const small = { dataset: 'datasets/moby-dick-pos', datasetOptions: { trainSentences: 40, heldOutSentences: 8, maxLength: 12 } };
testModel('pos/rnn-tagger', {
  plugins: [datasets(), rnnLm(), lstm(), posTagging()],
  presets: ['tiny'],
  config: { embedding: 8, units: 8 },
  ...small,
});
testModel('pos/hmm', { plugins: [datasets(), posTagging()], ...small });
