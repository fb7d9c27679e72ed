import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { lstmCell } from './lstm-cell.js';

/** The LSTM as an nnkit plugin: the cell `lstm/lstm`, usable by every model that takes a cell by name. */
export default function lstmPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/plugin-lstm', version: '1.0.0', namespace: 'lstm', nnkit: '^1.0.0' },
    cells: [lstmCell],
  });
}

export { createLstmCell, lstmCell, type LstmCell } from './lstm-cell.js';
