import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { captionerModel } from './model.js';

/**
 * Image captioning as an nnkit plugin: the model `captioner/captioner`. It brings no encoder or cell of its own: load
 * plugins that have the ones it asks for (`cnn-features/conv3` and `lstm/lstm` by default).
 */
export default function captionerPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/plugin-captioner', version: '1.0.0', namespace: 'captioner', nnkit: '^2.0.0' },
    models: [captionerModel],
  });
}

export { captionerModel } from './model.js';
export { createCaptioner, type Captioner, type CaptionerContext, type CaptionerOutput, type RunOptions } from './captioner.js';
export { caption, type CaptionOptions, type Captions } from './caption.js';
export { createGridAttention, type Annotations, type GridAttention } from './grid-attention.js';
export { gridOf, type Grid } from './grid.js';
export { ATTENTION_KINDS, CAPTIONER_CONFIG, END, PAD, START, type CaptionerAttention, type CaptionerConfig } from './config.js';
export { CAPTIONER_PRESETS, CAPTIONER_TRAINING } from './presets.js';
