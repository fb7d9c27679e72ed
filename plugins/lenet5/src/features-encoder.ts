import * as tf from '@tensorflow/tfjs';
import type { ConfigOf, EncoderDefinition, ImageEncoder } from '@nnkit/core';
import { prefixWeights } from '@nnkit/ops';
import { createLeNet5, LENET5_CONFIG } from './lenet5.js';

/** The model's own config fields (default ReLU and max pooling), checked by the registry before create(). */
const FEATURE_OPTIONS = { activation: LENET5_CONFIG.activation, pooling: LENET5_CONFIG.pooling };

/**
 * LeNet-5's feature layers (C1 … C5) as an image encoder for other plugins (the captioner): a 28×28 grey
 * image in, 120 features out. Options: `activation`, `pooling` (as the model's config), `seed`.
 */
export const lenet5Features: EncoderDefinition = {
  name: 'features',
  description: "LeNet-5's C1…C5: 28×28×1 digits → 120 features",
  options: FEATURE_OPTIONS,
  create(options, { kit }): ImageEncoder {
    const { activation, pooling } = options as unknown as ConfigOf<typeof FEATURE_OPTIONS>;
    const model = createLeNet5({ activation, pooling }, (label) =>
      options.seed !== undefined ? kit.random.derive(`${options.seed}/${label}`) : kit.random.derive(label),
    );
    // C1, C3 and C5 make the features; F6 and the output layer are the classifier's, not the encoder's.
    const prefix = typeof options.name === 'string' ? options.name : 'lenet5';
    const entries = Object.entries(model.weights);
    const used = entries.filter(([name]) => /^C[135]\//.test(name));
    tf.dispose(entries.filter(([name]) => !/^C[135]\//.test(name)).map(([, v]) => v));
    return {
      inputShape: [28, 28, 1],
      outputShape: [120],
      encode: (images) => model.features(images),
      weights: prefixWeights(prefix, Object.fromEntries(used)),
    };
  },
};
