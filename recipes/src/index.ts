import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { RECIPES_NEED } from './needs.js';
import { bpttCheck } from './bptt-check.js';
import { captioning } from './captioning/captioning.js';
import { handwriting } from './captioning/handwriting.js';
import { convParams } from './conv-params.js';
import { explodingGradients } from './exploding-gradients.js';
import { featureVisualization } from './feature-visualization.js';
import { featuresAsInput } from './features-as-input.js';
import { lenet5Mnist } from './lenet5-mnist.js';
import { longMemory } from './long-memory.js';
import { maxpoolBackprop } from './maxpool-backprop.js';
import { mnistActivations } from './mnist-activations.js';
import { receptiveField } from './receptive-field.js';
import { rnnLm } from './rnn-lm.js';
import { attentionBottleneck } from './seq2seq/attention-bottleneck.js';
import { datesRecipe } from './seq2seq/dates.js';
import { g2pCmudict } from './seq2seq/g2p-cmudict.js';
import { multilingual } from './seq2seq/multilingual.js';
import { translationInvariance } from './translation-invariance.js';
import { vanishingGradients } from './vanishing-gradients.js';

/** The lecture's reproductions as a plugin: `recipes/lenet5-mnist`, … (`nnkit recipe <name>` runs one). */
export default function recipesPlugin(): NnkitPlugin {
  return definePlugin({
    meta: {
      name: '@nnkit/recipes',
      version: '1.1.0',
      namespace: 'recipes',
      nnkit: '^2.0.0',
      dependencies: [...RECIPES_NEED],
    },
    recipes: [
      convParams,
      receptiveField,
      translationInvariance,
      maxpoolBackprop,
      lenet5Mnist,
      mnistActivations,
      featureVisualization,
      featuresAsInput,
      bpttCheck,
      vanishingGradients,
      explodingGradients,
      longMemory,
      rnnLm,
      attentionBottleneck,
      datesRecipe,
      g2pCmudict,
      multilingual,
      captioning,
      handwriting,
    ],
  });
}

export {
  convParams,
  receptiveField,
  translationInvariance,
  maxpoolBackprop,
  lenet5Mnist,
  mnistActivations,
  featureVisualization,
  featuresAsInput,
  bpttCheck,
  vanishingGradients,
  explodingGradients,
  longMemory,
  rnnLm,
  attentionBottleneck,
  datesRecipe,
  g2pCmudict,
  multilingual,
  captioning,
  handwriting,
};
export { KneserNey } from './language/kneser-ney.js';
export { measureReceptiveField } from './receptive-field.js';
export { trainLeNet, PAPER_TEST_ERROR } from './lenet5-mnist.js';
export * as features from './features/index.js';
export type { FeatureVisualizationOptions } from './feature-visualization.js';
export * from './record/index.js';
export * as lecture from './lecture/index.js';
export { RECIPES_NEED } from './needs.js';
