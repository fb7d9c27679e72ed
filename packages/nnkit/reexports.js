// The names `nnkit` forwards. This file is also its own type declaration (reexports.d.ts is a copy, with
// @nnkit/backends' types named): every line is an `export … from`, which TypeScript reads the same way in a .d.ts.
export * from '@nnkit/core';
export * from '@nnkit/kit';
// Not `export *`: @nnkit/backends has a BackendError of its own, and `nnkit`'s is core's. (The .d.ts names its types too.)
export { BACKEND_NAMES, useBackend, probeBackends, describeChoice } from '@nnkit/backends';
export * from '@nnkit/train';
export * from '@nnkit/ops';
export * from '@nnkit/decoding';
export * from '@nnkit/datasets';
export { runRecipe, recipeRecord, writeRecipeRecord, recipeFolder } from '@nnkit/recipes';
export { translate, createTranslator } from '@nnkit/plugin-seq2seq-attention';
export { caption, createCaptioner } from '@nnkit/plugin-captioner';
export { createLeNet5 } from '@nnkit/plugin-lenet5';
// The plugins, by the names their packages export as default: `createKit({ plugins: [lenet5(), datasets()] })`.
export { default as datasets } from '@nnkit/datasets';
export { default as lenet5 } from '@nnkit/plugin-lenet5';
export { default as cnnFeatures } from '@nnkit/plugin-cnn-features';
export { default as rnnLm } from '@nnkit/plugin-rnn-lm';
export { default as lstm } from '@nnkit/plugin-lstm';
export { default as seq2seqAttention } from '@nnkit/plugin-seq2seq-attention';
export { default as captioner } from '@nnkit/plugin-captioner';
export { default as posTagging } from '@nnkit/plugin-pos-tagging';
export { default as tasks } from '@nnkit/plugin-tasks';
export { default as recipes } from '@nnkit/recipes';
// Whole packages where their names would collide at the top (PAD, START and END are each model's own).
export * as viz from '@nnkit/viz';
export * as seq2seq from '@nnkit/plugin-seq2seq-attention';
export * as captioning from '@nnkit/plugin-captioner';
// The tfjs every nnkit package shares (one copy, one kernel registry): `import { tf } from 'nnkit'`.
export * as tf from '@tensorflow/tfjs';
