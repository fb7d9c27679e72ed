// The registered model `rnn-lm/lm`: its schema, presets, task and training defaults; the network is language-model.ts.
import { defineModel } from '@nnkit/core';
import { LANGUAGE_MODEL_CONFIG, createLanguageModel, type LanguageModel } from './language-model.js';

/**
 * The language model over any registered cell, `rnn-lm/lm` (the simple RNN by default). Another plugin offers it
 * with its own cell as a variant through the registry (`lstm/lm` extends `rnn-lm/lm` with `cell: 'lstm/lstm'`),
 * so the model's code lives here once.
 */
export const rnnLanguageModel = defineModel({
  name: 'lm',
  description: 'the recurrent language model (Mikolov et al. 2010) over any registered cell: character or word level',
  task: 'tasks/token-streams',
  config: LANGUAGE_MODEL_CONFIG,
  presets: {
    mikolov: { description: 'Mikolov et al. 2010: one layer, one-hot input', config: { layers: 1, embedding: 0 } },
    zaremba: {
      description: 'Zaremba et al. 2014 "medium" shape: 2 layers of 650, embedding 650, dropout 0.5',
      config: { layers: 2, units: 650, embedding: 650, dropout: 0.5 },
    },
  },
  // Characters of Moby Dick: an epoch is 1.2 million characters, a few minutes on two CPU cores.
  training: {
    dataset: 'datasets/moby-dick',
    datasetOptions: { level: 'char' },
    optimizer: { name: 'adam', learningRate: 2e-3 },
    epochs: 3,
    clipNorm: 5,
    bptt: { k1: 50, k2: 50, streams: 64 },
  },
  create: (config, { kit, key }) =>
    createLanguageModel(
      config,
      (options) => kit.createCell(config.cell, options),
      (label) => kit.random.derive(`${key}/${label}`),
    ),
});

// The names this plugin's model is registered under, typed for `kit.createModel('rnn-lm/lm')` (core's
// registry-types.ts). `lstm/lm` is declared here too: it is this model with LSTM layers (a variant registered by
// @nnkit/plugin-lstm, which has no type of its own and needs this plugin loaded anyway).
declare module '@nnkit/core' {
  interface NnkitModels {
    'rnn-lm/lm': LanguageModel;
    'lstm/lm': LanguageModel;
  }
}
