import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { bpttCheck } from './bptt-check.js';
import { convParams } from './conv-params.js';
import { explodingGradients } from './exploding-gradients.js';
import { lenet5Mnist } from './lenet5-mnist.js';
import { longMemory } from './long-memory.js';
import { maxpoolBackprop } from './maxpool-backprop.js';
import { mnistActivations } from './mnist-activations.js';
import { receptiveField } from './receptive-field.js';
import { rnnLm } from './rnn-lm.js';
import { translationInvariance } from './translation-invariance.js';
import { vanishingGradients } from './vanishing-gradients.js';

/** The lecture's reproductions as a plugin: `recipes/lenet5-mnist`, … (`nnkit recipe <name>` runs one). */
export default function recipesPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/recipes', version: '1.1.0', namespace: 'recipes', nnkit: '^2.0.0', dependencies: ['@nnkit/plugin-lenet5', '@nnkit/datasets', '@nnkit/plugin-rnn-lm', '@nnkit/plugin-lstm'] },
    recipes: [convParams, receptiveField, translationInvariance, maxpoolBackprop, lenet5Mnist, mnistActivations, bpttCheck, vanishingGradients, explodingGradients, longMemory, rnnLm],
  });
}

export { convParams, receptiveField, translationInvariance, maxpoolBackprop, lenet5Mnist, mnistActivations, bpttCheck, vanishingGradients, explodingGradients, longMemory, rnnLm };
export { KneserNey } from './language/kneser-ney.js';
export { measureReceptiveField } from './receptive-field.js';
export { trainLeNet, PAPER_TEST_ERROR } from './lenet5-mnist.js';
