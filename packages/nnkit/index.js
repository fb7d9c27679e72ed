// nnkit in one name: the scoped packages re-exported, as @tensorflow/tfjs does over its parts. Plain ESM with a
// hand-written index.d.ts beside it: there is nothing here to compile, only names to forward.
// Kept in step with index.d.ts; test/registry.test.ts imports both from a published copy.
export * from './reexports.js';
import { default as datasets } from '@nnkit/datasets';
import { default as captioner } from '@nnkit/plugin-captioner';
import { default as cnnFeatures } from '@nnkit/plugin-cnn-features';
import { default as lenet5 } from '@nnkit/plugin-lenet5';
import { default as lstm } from '@nnkit/plugin-lstm';
import { default as posTagging } from '@nnkit/plugin-pos-tagging';
import { default as rnnLm } from '@nnkit/plugin-rnn-lm';
import { default as seq2seqAttention } from '@nnkit/plugin-seq2seq-attention';
import { default as tasks } from '@nnkit/plugin-tasks';
import { default as recipes } from '@nnkit/recipes';

/** Every plugin nnkit ships, as the `nnkit` command loads them: `createKit({ plugins: builtinPlugins() })`. */
export function builtinPlugins() {
  return [tasks(), datasets(), lenet5(), cnnFeatures(), rnnLm(), lstm(), seq2seqAttention(), captioner(), posTagging(), recipes()];
}
