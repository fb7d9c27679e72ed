import { defineModel } from '@nnkit/core';
import { LISTENER_CONFIG } from './listener-config.js';
import { LISTENER_PRESETS, LISTENER_TRAINING } from './listener-presets.js';
import { createListener } from './listener.js';

/**
 * `seq2seq/listener`: Listen, Attend and Spell in small — a pyramidal bidirectional encoder over feature frames and
 * the translator's attention decoder — over any registered cell.
 */
export const listenerModel = defineModel({
  name: 'listener',
  description:
    'speech recognition: a pyramidal BiLSTM over log-mel frames and an attention speller (Listen, Attend and Spell; Chan et al. 2016), or none (the bottleneck)',
  task: 'tasks/speech-transcripts',
  config: LISTENER_CONFIG,
  presets: LISTENER_PRESETS,
  training: LISTENER_TRAINING,
  create: (config, { kit, key }) =>
    createListener(
      config,
      (name, options) => kit.createCell(name, options),
      (label) => kit.random.derive(`${key}/${label}`),
    ),
});

// The model's name, typed for `kit.createModel('seq2seq/listener')` (core's registry-types.ts), beside its definition.
declare module '@nnkit/core' {
  interface NnkitModels {
    'seq2seq/listener': import('./listener.js').Listener;
  }
}
