import { definePlugin, type ModelVariantDefinition, type NnkitPlugin } from '@nnkit/core';
import { lstmCell } from './lstm-cell.js';

/**
 * The LSTM language model (Zaremba et al. 2014; Sundermeyer et al. 2012): rnn-lm's language model with LSTM layers,
 * reached through the registry rather than an import, so the model's code lives once, in @nnkit/plugin-rnn-lm.
 */
export const lstmLanguageModel: ModelVariantDefinition = {
  name: 'lm',
  description: 'the LSTM language model (Zaremba et al. 2014): rnn-lm/lm with LSTM layers, character or word level',
  extends: 'rnn-lm/lm',
  defaults: { cell: 'lstm/lstm' },
};

/**
 * The LSTM as an nnkit plugin: the cell `lstm/lstm`, usable by every model that takes a cell by name, and the
 * language model `lstm/lm` (which needs @nnkit/plugin-rnn-lm loaded too).
 */
export default function lstmPlugin(): NnkitPlugin {
  return definePlugin({
    meta: {
      name: '@nnkit/plugin-lstm',
      version: '1.1.0',
      namespace: 'lstm',
      nnkit: '^2.0.0',
      dependencies: ['@nnkit/plugin-rnn-lm'],
    },
    cells: [lstmCell],
    models: [lstmLanguageModel],
  });
}

export { createLstmCell, lstmCell, type LstmCell } from './lstm-cell.js';
