import type { Preset, TrainingDefaults } from '@nnkit/core';
import type { LISTENER_CONFIG } from './listener-config.js';

/** Named settings of the listener, apart from its code: the attention model and its bottleneck baseline. */
export const LISTENER_PRESETS: Readonly<Record<string, Preset<typeof LISTENER_CONFIG>>> = {
  las: {
    description:
      'Listen, Attend and Spell (Chan et al. 2016), scaled down for spoken digits: 3 pyramidal BiLSTM layers of 64 (one step per 80 ms), Bahdanau attention',
    // The schema's defaults themselves, so that the preset and the defaults cannot drift apart.
    config: {},
  },
  bottleneck: {
    description: 'the same listener and speller without attention: the speller hears the utterance only through the final states',
    config: { attention: 'none', inputFeeding: false },
  },
};

/** How `nnkit train seq2seq/listener` trains when not told otherwise: on the spoken digits (needs @nnkit/spoken-digits). */
export const LISTENER_TRAINING: TrainingDefaults = {
  dataset: 'datasets/spoken-digits',
  optimizer: { name: 'adam', learningRate: 3e-3 },
  epochs: 15,
  clipNorm: 5,
};
