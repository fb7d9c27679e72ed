import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { mnist } from './mnist/mnist.js';
import { mobyDick } from './text/moby-dick.js';
import { stateOfTheUnion } from './text/sotu.js';

/** nnkit's datasets as a plugin: `datasets/mnist`, `datasets/moby-dick`, `datasets/sotu`. */
export default function datasetsPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/datasets', version: '1.1.0', namespace: 'datasets', nnkit: '^2.0.0' },
    datasets: [mnist, mobyDick, stateOfTheUnion],
  });
}

export { readIdx, type IdxArray } from './mnist/idx.js';
export { loadMnist, readMnistSplit, mnistExamples, mnistDir, MNIST_FILES, type MnistOptions, type MnistImages } from './mnist/mnist.js';
export { toMnistDigit } from './mnist/digit-image.js';
export { loadMobyDick, readMobyDick, mobyDick, type Chapter } from './text/moby-dick.js';
export { loadStateOfTheUnion, readStateOfTheUnion, stateOfTheUnion, SOTU_SPLITS, type Address } from './text/sotu.js';
export { textCorpus, type TextCorpus, type CorpusOptions } from './text/text-corpus.js';
export { buildVocabulary, wordTokens, characterTokens, joinTokens, UNKNOWN, END_OF_TEXT, type Vocabulary } from './text/vocabulary.js';
