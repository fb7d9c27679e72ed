import * as tf from '@tensorflow/tfjs';
import type { EncoderDefinition, ImageEncoder } from '@nnkit/core';
import { createLeNet5 } from './lenet5.js';

/**
 * LeNet-5's feature layers (C1 … C5) as an image encoder for other plugins (the captioner): a 28×28 grey
 * image in, 120 features out. Options: `activation`, `pooling` (as the model's config), `seed`.
 */
export const lenet5Features: EncoderDefinition = {
  name: 'features',
  description: "LeNet-5's C1…C5: 28×28×1 digits → 120 features",
  create(options, { kit }): ImageEncoder {
    const model = createLeNet5(
      { activation: (options.activation as 'relu') ?? 'relu', pooling: (options.pooling as 'max') ?? 'max' },
      (label) => (options.seed !== undefined ? kit.random.derive(`${options.seed}/${label}`) : kit.random.derive(label)),
    );
    const used = model.trainableWeights.slice(0, 6); // C1, C3, C5 weights and biases: the classifier layers are not trained here
    tf.dispose(model.trainableWeights.slice(6));
    return { inputShape: [28, 28, 1], outputShape: [120], encode: (images) => model.features(images), trainableWeights: used };
  },
};
