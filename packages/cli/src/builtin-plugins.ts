import type { NnkitPlugin } from '@nnkit/core';
import datasets from '@nnkit/datasets';
import captioner from '@nnkit/plugin-captioner';
import cnnFeatures from '@nnkit/plugin-cnn-features';
import lenet5 from '@nnkit/plugin-lenet5';
import lstm from '@nnkit/plugin-lstm';
import posTagging from '@nnkit/plugin-pos-tagging';
import rnnLm from '@nnkit/plugin-rnn-lm';
import seq2seq from '@nnkit/plugin-seq2seq-attention';
import tasks from '@nnkit/plugin-tasks';
import recipes from '@nnkit/recipes';

/**
 * The official plugins the `nnkit` command loads explicitly. Third-party plugins come from
 * `nnkit.config.*` or from discovery.
 */
export async function builtinPlugins(): Promise<NnkitPlugin[]> {
  return [tasks(), datasets(), lenet5(), cnnFeatures(), rnnLm(), lstm(), seq2seq(), captioner(), posTagging(), recipes()];
}
