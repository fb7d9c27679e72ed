// testModel on nnkit's captioner (tasks/captioned-images), on a few scenes of digits.
import datasets from '@nnkit/datasets';
import captioner from '@nnkit/plugin-captioner';
import cnnFeatures from '@nnkit/plugin-cnn-features';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { testModel } from './index.js';

testModel('captioner/captioner', {
  plugins: [datasets(), rnnLm(), lstm(), cnnFeatures(), captioner()],
  config: { encoderOptions: { widths: [2, 4, 4] }, embedding: 4, units: 8, attentionUnits: 4 },
  datasetOptions: { train: 8, validation: 4, test: 0 },
  backends: ['cpu'],
});
