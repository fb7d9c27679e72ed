import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { defineLanguageModel } from '@nnkit/plugin-rnn-lm';
import { lstmCell } from './lstm-cell.js';

/** The LSTM language model: rnn-lm's language model with LSTM layers (Zaremba et al. 2014; Sundermeyer et al. 2012). */
export const lstmLanguageModel = defineLanguageModel('lm', 'the LSTM language model (Zaremba et al. 2014): character or word level', 'lstm/lstm');

/** The LSTM as an nnkit plugin: the cell `lstm/lstm`, usable by every model that takes a cell by name, and `lstm/lm`. */
export default function lstmPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/plugin-lstm', version: '1.0.0', namespace: 'lstm', nnkit: '^1.0.0' },
    cells: [lstmCell],
    models: [lstmLanguageModel],
  });
}

export { createLstmCell, lstmCell, type LstmCell } from './lstm-cell.js';
