import type { Preset, TrainingDefaults } from '@nnkit/core';
import type { TRANSLATOR_CONFIG } from './config.js';

/**
 * Named settings of the translator, kept apart from its code (as fairseq's `register_model_architecture`): each is
 * data over the config schema, and `--config` overrides any key of it.
 */
export const TRANSLATOR_PRESETS: Readonly<Record<string, Preset<typeof TRANSLATOR_CONFIG>>> = {
  bahdanau: {
    description: 'Bahdanau et al. 2015 (RNNsearch), scaled down: a bidirectional encoder, additive attention on the previous decoder state',
    config: {
      attention: 'bahdanau',
      bidirectional: true,
      encoderLayers: 1,
      decoderLayers: 1,
      units: 256,
      embedding: 128,
      inputFeeding: false,
    },
  },
  luong: {
    description:
      "Luong et al. 2015, scaled down: 2-layer encoder and decoder, 'general' attention on the current state, input feeding, dropout",
    config: {
      attention: 'luong-general',
      inputFeeding: true,
      bidirectional: false,
      encoderLayers: 2,
      decoderLayers: 2,
      units: 256,
      embedding: 128,
      dropout: 0.2,
    },
  },
  bottleneck: {
    description:
      "Sutskever et al. 2014's encoder–decoder without attention: the decoder sees the source only through the encoder's final states",
    config: { attention: 'none', inputFeeding: false, bidirectional: false, encoderLayers: 1, decoderLayers: 1 },
  },
  g2p: {
    description:
      'grapheme-to-phoneme on CMUdict (letters → ARPAbet phones; Yao & Zweig 2015 size): 2-layer bidirectional encoder, Luong attention',
    config: {
      attention: 'luong-general',
      inputFeeding: true,
      bidirectional: true,
      encoderLayers: 2,
      decoderLayers: 1,
      units: 256,
      embedding: 64,
      dropout: 0.3,
    },
  },
  dates: {
    description:
      'small, for the synthetic dates (many formats → ISO 8601): one bidirectional LSTM layer of 64, Bahdanau attention (the defaults, kept as they are)',
    // The schema's defaults themselves, so that the preset and the defaults cannot drift apart.
    config: {},
  },
};

/**
 * How `nnkit train seq2seq/translator` trains when not told otherwise: on the synthetic dates. Measured with the
 * `dates` sizes (the defaults) on 4,000 of its pairs, wasm: 88% exact match on unseen dates after 5 epochs at 5e-3,
 * 6% at 2e-3; the default 20,000 pairs give five times the steps per epoch. Batches: its task's 64 pairs.
 */
export const TRANSLATOR_TRAINING: TrainingDefaults = {
  dataset: 'datasets/dates',
  optimizer: { name: 'adam', learningRate: 5e-3 },
  epochs: 5,
  clipNorm: 5,
};
