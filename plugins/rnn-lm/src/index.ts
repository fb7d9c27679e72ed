import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { simpleCell } from './simple-cell.js';

/** The simple RNN as an nnkit plugin: the cell `rnn-lm/simple` (its language model is still to come). */
export default function rnnLmPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/plugin-rnn-lm', version: '1.0.0', namespace: 'rnn-lm', nnkit: '^1.0.0' },
    cells: [simpleCell],
  });
}

export { createSimpleRnnCell, simpleCell, type SimpleRnnCell } from './simple-cell.js';
