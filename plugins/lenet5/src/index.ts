import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { lenet5Features } from './features-encoder.js';
import { lenet5Model } from './lenet5.js';

/** LeNet-5 as an nnkit plugin: the model `lenet5/lenet5` and the encoder `lenet5/features`. */
export default function lenet5Plugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/plugin-lenet5', version: '1.1.0', namespace: 'lenet5', nnkit: '^2.0.0' },
    models: [lenet5Model],
    encoders: [lenet5Features],
  });
}

export { createLeNet5, lenet5Model, LENET5_CONFIG, LAYER_NAMES, type LeNet5, type LeNet5Config, type Activation } from './lenet5.js';
export { lenet5Features } from './features-encoder.js';
