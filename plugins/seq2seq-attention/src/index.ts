import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { translatorModel } from './model.js';

/**
 * Sequence to sequence with attention as an nnkit plugin: the model `seq2seq/translator`. It brings no cell of its
 * own: load a plugin that has the one it asks for (`lstm/lstm` by default, `rnn-lm/simple`, a third party's `gru/gru`).
 */
export default function seq2seqPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/plugin-seq2seq-attention', version: '1.0.0', namespace: 'seq2seq', nnkit: '^2.0.0' },
    models: [translatorModel],
  });
}

export { translatorModel } from './model.js';
export { createTranslator, type Decoded, type RunOptions, type Translator, type TranslatorContext } from './translator.js';
export { translate, type TranslateOptions, type Translation } from './translate.js';
export { createAttention, maskedSoftmax, type Attention, type Attended, type Memory } from './attention.js';
export { createEncoder, type EncodedSource, type Encoder } from './encoder.js';
export { createBridge, type Bridge } from './bridge.js';
export { ATTENTION_KINDS, END, PAD, START, TRANSLATOR_CONFIG, type AttentionKind, type TranslatorConfig } from './config.js';
export { TRANSLATOR_PRESETS, TRANSLATOR_TRAINING } from './presets.js';
