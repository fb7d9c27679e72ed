import { defineModel } from '@nnkit/core';
import { createCaptioner } from './captioner.js';
import { CAPTIONER_CONFIG } from './config.js';
import { CAPTIONER_PRESETS, CAPTIONER_TRAINING } from './presets.js';

/**
 * `captioner/captioner`: an image encoder and a decoder cell, each asked for by name through the kit (so a third
 * party's encoder or cell works in it at once), with soft attention over the encoder's grid or without.
 */
export const captionerModel = defineModel({
  name: 'captioner',
  description:
    'CNN encoder, RNN decoder: describes an image in words or reads a line of handwriting, with soft attention over the grid (Xu et al. 2015) or without',
  task: 'tasks/captioned-images',
  config: CAPTIONER_CONFIG,
  presets: CAPTIONER_PRESETS,
  training: CAPTIONER_TRAINING,
  async create(config, { kit, key }) {
    const imageShape = [config.imageHeight, config.imageWidth, config.imageChannels];
    const encoder = await kit.createEncoder(config.encoder, {
      ...config.encoderOptions,
      seed: kit.random.derive(`${key}/encoder`),
      name: 'encoder',
      inputShape: imageShape,
    });
    try {
      return createCaptioner(
        config,
        encoder,
        (name, options) => kit.createCell(name, options),
        (label) => kit.random.derive(`${key}/${label}`),
      );
    } catch (error) {
      // A refused config frees the encoder it was given: nothing is left behind.
      if (encoder.dispose) encoder.dispose();
      else for (const weight of Object.values(encoder.weights)) weight.dispose();
      throw error;
    }
  },
});

// The model's name, typed for `kit.createModel('captioner/captioner')` (core's registry-types.ts), beside its definition.
declare module '@nnkit/core' {
  interface NnkitModels {
    'captioner/captioner': import('./captioner.js').Captioner;
  }
}
