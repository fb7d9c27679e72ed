// Every recipe definition, which the package exports by name; index.ts lists them for the plugin in the lecture's order.

export { bpttCheck } from './bptt-check.js';
export { captioning } from './captioning/captioning.js';
export { handwriting } from './captioning/handwriting.js';
export { convParams } from './conv-params.js';
export { explodingGradients } from './exploding-gradients.js';
export { featureVisualization } from './feature-visualization.js';
export { featuresAsInput } from './features-as-input.js';
export { hmmVsRnn } from './hmm-vs-rnn.js';
export { lenet5Mnist } from './lenet5-mnist.js';
export { longMemory } from './long-memory.js';
export { maxpoolBackprop } from './maxpool-backprop.js';
export { mnistActivations } from './mnist-activations.js';
export { receptiveField } from './receptive-field.js';
export { rnnLm } from './rnn-lm.js';
export { attentionBottleneck } from './seq2seq/attention-bottleneck.js';
export { datesRecipe } from './seq2seq/dates.js';
export { g2pCmudict } from './seq2seq/g2p-cmudict.js';
export { multilingual } from './seq2seq/multilingual.js';
export { speech } from './speech.js';
export { translationInvariance } from './translation-invariance.js';
export { vanishingGradients } from './vanishing-gradients.js';
