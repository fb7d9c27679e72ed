import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { cnnModel } from './model.js';
import { cnnEncoders } from './encoders.js';

/**
 * Stacked CNN features as an nnkit plugin: the model `cnn-features/cnn` (conv1, conv2, conv3 and an MLP head) and
 * the encoders `cnn-features/conv1`, `cnn-features/conv2`, `cnn-features/conv3`.
 */
export default function cnnFeaturesPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/plugin-cnn-features', version: '1.0.0', namespace: 'cnn-features', nnkit: '^2.0.0' },
    models: [cnnModel],
    encoders: cnnEncoders,
  });
}

export { createCnn, stackEncoder, CNN_CONFIG, type CnnConfig, type CnnEncoder, type CnnFeatures } from './cnn.js';
export { convStack, type ConvStack, type StackShape } from './blocks.js';
export { cnnEncoders } from './encoders.js';
export { blockReceptiveFields, stackReceptiveFields, type ReceptiveField, type LayerGeometry } from './geometry.js';
export { cnnModel } from './model.js';
