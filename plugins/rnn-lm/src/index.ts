import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { rnnLanguageModel } from './language-model.js';
import { simpleCell } from './simple-cell.js';

// The names this plugin's model is registered under, typed for `kit.createModel('rnn-lm/lm')` (core's
// registry-types.ts). `lstm/lm` is declared here too: it is this model with LSTM layers (a variant registered by
// @nnkit/plugin-lstm, which has no type of its own and needs this plugin loaded anyway).
declare module '@nnkit/core' {
  interface NnkitModels {
    'rnn-lm/lm': import('./language-model.js').LanguageModel;
    'lstm/lm': import('./language-model.js').LanguageModel;
  }
}

/** The simple RNN as an nnkit plugin: the cell `rnn-lm/simple` and the language model `rnn-lm/lm`. */
export default function rnnLmPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/plugin-rnn-lm', version: '1.1.0', namespace: 'rnn-lm', nnkit: '^2.0.0' },
    cells: [simpleCell],
    models: [{ ...rnnLanguageModel, task: 'tasks/token-streams' }],
  });
}

export { createSimpleRnnCell, simpleCell, type SimpleRnnCell } from './simple-cell.js';
export { createLanguageModel, rnnLanguageModel, LANGUAGE_MODEL_CONFIG, type LanguageModel, type LanguageModelConfig } from './language-model.js';
export { sample, type SampleOptions } from './sample.js';
