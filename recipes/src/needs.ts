/**
 * The plugins nnkit's recipes run on, besides `@nnkit/recipes` itself: their models, cells, datasets and the tasks
 * that batch and score their data. One list, so that the plugin's `meta.dependencies` and `runRecipe`'s refusal
 * name the same ten, all at once.
 */
export const RECIPES_NEED = [
  '@nnkit/datasets',
  '@nnkit/plugin-tasks',
  '@nnkit/plugin-lenet5',
  '@nnkit/plugin-rnn-lm',
  '@nnkit/plugin-lstm',
  '@nnkit/plugin-cnn-features',
  '@nnkit/plugin-seq2seq-attention',
  '@nnkit/plugin-captioner',
  '@nnkit/plugin-pos-tagging',
] as const;
