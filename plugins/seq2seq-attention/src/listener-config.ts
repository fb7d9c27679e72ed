import { field, type ConfigOf } from '@nnkit/core';
import { dropoutField, layerSizeField, vocabularySizeField } from '@nnkit/ops';
import { TRANSLATOR_CONFIG } from './config.js';

/**
 * The listener's hyperparameters: the pyramidal encoder's own, and the translator's decoder fields as they are (the
 * speller is the translator's decoder). Named settings of them live in `listener-presets.ts`.
 */
export const LISTENER_CONFIG = {
  featureSize: field.integer({
    default: 40,
    min: 1,
    max: 4096,
    description: "values per input frame: the corpus's featureSize (40 log-mel bands for datasets/spoken-digits)",
  }),
  targetVocabularySize: vocabularySizeField("target symbols, <pad> <s> </s> <unk> included (the corpus's targetVocabulary.tokens.length)"),
  cell: field.string({ default: 'lstm/lstm', description: 'the registered recurrent cell of the encoder and the decoder' }),
  projection: layerSizeField(64, "size of the frames' linear projection, which the first encoder layer reads"),
  units: layerSizeField(64, 'hidden units of every recurrent layer (each direction of an encoder layer)'),
  encoderLayers: field.integer({
    default: 3,
    min: 1,
    max: 6,
    description: 'pyramidal bidirectional encoder layers; each joins neighbouring steps, halving time (3: one step per 8 frames)',
  }),
  embedding: layerSizeField(32, 'size of the target embedding'),
  decoderLayers: TRANSLATOR_CONFIG.decoderLayers,
  attention: TRANSLATOR_CONFIG.attention,
  inputFeeding: TRANSLATOR_CONFIG.inputFeeding,
  dropout: dropoutField('dropout on the projected frames, between layers and before the output layer while training'),
};

export type ListenerConfig = ConfigOf<typeof LISTENER_CONFIG>;
