import type { Preset, TrainingDefaults } from '@nnkit/core';
import type { CAPTIONER_CONFIG } from './config.js';

/** Named settings of the captioner, one per dataset it was measured on; `--config` overrides any key. */
export const CAPTIONER_PRESETS: Readonly<Record<string, Preset<typeof CAPTIONER_CONFIG>>> = {
  scenes: {
    // 5×5 kernels: conv3 then sees 32 px squares, enough for a whole large digit (3×3 kernels: 18 px, half of one).
    description:
      'digit scenes (56×56, one to four digits) described in words: conv3 (5×5 kernels) grid of 14×14, LSTM of 256, soft attention',
    config: {
      imageHeight: 56,
      imageWidth: 56,
      encoder: 'cnn-features/conv3',
      encoderOptions: { kernelSize: 5 },
      attention: 'soft',
      units: 256,
      embedding: 64,
      attentionUnits: 128,
    },
  },
  lines: {
    description:
      'lines of handwritten digits (28×224) read as digit strings: conv3 (5×5 kernels) grid of 7×56, LSTM of 128, soft attention',
    config: {
      imageHeight: 28,
      imageWidth: 224,
      encoder: 'cnn-features/conv3',
      encoderOptions: { kernelSize: 5 },
      attention: 'soft',
      units: 128,
      embedding: 32,
      attentionUnits: 64,
    },
  },
};

/** How `nnkit train captioner/captioner` trains when not told otherwise: on the digit scenes, in its task's batches of 64. */
export const CAPTIONER_TRAINING: TrainingDefaults = {
  dataset: 'datasets/digit-scenes',
  optimizer: { name: 'adam', learningRate: 2e-3 },
  epochs: 8,
  clipNorm: 5,
};
