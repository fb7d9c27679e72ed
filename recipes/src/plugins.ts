import type { NnkitPlugin } from '@nnkit/core';
import datasets from '@nnkit/datasets';
import captioner from '@nnkit/plugin-captioner';
import cnnFeatures from '@nnkit/plugin-cnn-features';
import lenet5 from '@nnkit/plugin-lenet5';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import seq2seq from '@nnkit/plugin-seq2seq-attention';
import recipesPlugin from './index.js';

/**
 * Every plugin the recipes need, the recipes included, in one list:
 * `createKit({ plugins: recipePlugins() })` is a kit on which `runRecipe` runs any of them.
 */
export function recipePlugins(): NnkitPlugin[] {
  return [datasets(), lenet5(), cnnFeatures(), rnnLm(), lstm(), seq2seq(), captioner(), recipesPlugin()];
}
