import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { listenerModel } from './listener-model.js';
import { translatorModel } from './model.js';

/**
 * Sequence to sequence with attention as an nnkit plugin: the models `seq2seq/translator` and
 * `seq2seq/listener` (speech recognition with the translator's decoder). It brings no cell of its
 * own: load a plugin that has the one it asks for (`lstm/lstm` by default, `rnn-lm/simple`, a third party's `gru/gru`).
 */
export default function seq2seqPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/plugin-seq2seq-attention', version: '1.0.0', namespace: 'seq2seq', nnkit: '^2.0.0' },
    models: [translatorModel, listenerModel],
  });
}

export { translatorModel } from './model.js';
export { createTranslator, type Translator, type TranslatorContext } from './translator.js';
export type { Decoded, RunOptions } from './speller.js';
export { translate, type TranslateOptions, type Translation } from './translate.js';
export { createAttention, maskedSoftmax, type Attention, type Attended, type Memory } from './attention.js';
export { createEncoder, type EncodedSource, type Encoder } from './encoder.js';
export { createBridge, type Bridge } from './bridge.js';
export { ATTENTION_KINDS, END, PAD, START, TRANSLATOR_CONFIG, type AttentionKind, type TranslatorConfig } from './config.js';
export { TRANSLATOR_PRESETS, TRANSLATOR_TRAINING } from './presets.js';
export { listenerModel } from './listener-model.js';
export { createListener, type Listener } from './listener.js';
export { createListenerEncoder, joinNeighbours, type ListenerEncoder, type ListenerEncoderOptions } from './listener-encoder.js';
export { LISTENER_CONFIG, type ListenerConfig } from './listener-config.js';
export { LISTENER_PRESETS, LISTENER_TRAINING } from './listener-presets.js';
export { transcribe, type SpeechContext, type SpeechShape } from './transcribe.js';
export { readSpeechBatch, checkFrames, type SpeechBatch } from './speech-batch.js';
