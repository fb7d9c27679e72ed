// A small plugin for the kit's own tests (not exported from the package).
import { definePlugin, defineModel, field, type NnkitPlugin } from '@nnkit/core';

export function toyPlugin(overrides: Partial<NnkitPlugin['meta']> = {}): NnkitPlugin {
  return definePlugin({
    meta: { name: 'toy-plugin', version: '1.2.3', namespace: 'toy', nnkit: '^2.0.0', ...overrides },
    models: [
      defineModel({
        name: 'mlp',
        description: 'a multilayer perceptron',
        config: {
          units: field.integer({ default: 32, min: 1, description: 'hidden units' }),
          activation: field.oneOf(['relu', 'tanh'], { default: 'relu', description: 'nonlinearity' }),
        },
        presets: {
          small: { description: 'for tests', config: { units: 4 } },
          classic: { description: 'as in the paper', config: { units: 100, activation: 'tanh' } },
        },
        create: (config) => ({ kind: 'mlp', ...config }),
      }),
    ],
    datasets: [
      {
        name: 'xor',
        description: 'the XOR truth table',
        load: async () => [
          [0, 0, 0],
          [0, 1, 1],
          [1, 0, 1],
          [1, 1, 0],
        ],
      },
    ],
  });
}
