import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { rnnLanguageModel } from './model.js';
import { simpleCell } from './simple-cell.js';

/** The simple RNN as an nnkit plugin: the cell `rnn-lm/simple` and the language model `rnn-lm/lm`. */
export default function rnnLmPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/plugin-rnn-lm', version: '1.1.0', namespace: 'rnn-lm', nnkit: '^2.0.0' },
    cells: [simpleCell],
    models: [rnnLanguageModel],
  });
}

export { createSimpleRnnCell, simpleCell, type SimpleRnnCell } from './simple-cell.js';
export { createLanguageModel, LANGUAGE_MODEL_CONFIG, type LanguageModel, type LanguageModelConfig } from './language-model.js';
export { sample, type SampleOptions } from './sample.js';
export { rnnLanguageModel } from './model.js';
