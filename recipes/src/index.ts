import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import * as recipe from './all-recipes.js';
import { RECIPES_NEED } from './needs.js';

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
      recipe.convParams,
      recipe.receptiveField,
      recipe.translationInvariance,
      recipe.maxpoolBackprop,
      recipe.lenet5Mnist,
      recipe.mnistActivations,
      recipe.featureVisualization,
      recipe.featuresAsInput,
      recipe.hmmVsRnn,
      recipe.bpttCheck,
      recipe.vanishingGradients,
      recipe.explodingGradients,
      recipe.longMemory,
      recipe.rnnLm,
      recipe.attentionBottleneck,
      recipe.datesRecipe,
      recipe.g2pCmudict,
      recipe.multilingual,
      recipe.speech,
      recipe.captioning,
      recipe.handwriting,
    ],
  });
}

export * from './all-recipes.js';
export { KneserNey } from './language/kneser-ney.js';
export { measureReceptiveField } from './receptive-field.js';
export { trainLeNet, PAPER_TEST_ERROR } from './lenet5-mnist.js';
export * as features from './features/index.js';
export type { FeatureVisualizationOptions } from './feature-visualization.js';
export * from './record/index.js';
export * as lecture from './lecture/index.js';
export { RECIPES_NEED } from './needs.js';
