import { defineModel } from '@nnkit/core';
import { TRANSLATOR_CONFIG } from './config.js';
import { TRANSLATOR_PRESETS, TRANSLATOR_TRAINING } from './presets.js';
import { createTranslator } from './translator.js';

/**
 * `seq2seq/translator`: the encoder–decoder over any registered cells, asked for by name through the kit (so a
 * third party's cell works in it at once), with or without attention.
 */
export const translatorModel = defineModel({
  name: 'translator',
  description:
    'encoder–decoder with attention (Bahdanau 2015, Luong 2015) or without (Sutskever 2014) over any registered cell: G2P, dates, translation',
  task: 'tasks/sequence-pairs',
  config: TRANSLATOR_CONFIG,
  presets: TRANSLATOR_PRESETS,
  training: TRANSLATOR_TRAINING,
  create: (config, { kit, key }) =>
    createTranslator(
      config,
      (name, options) => kit.createCell(name, options),
      (label) => kit.random.derive(`${key}/${label}`),
    ),
});

// The model's name, typed for `kit.createModel('seq2seq/translator')` (core's registry-types.ts), beside its definition.
declare module '@nnkit/core' {
  interface NnkitModels {
    'seq2seq/translator': import('./translator.js').Translator;
  }
}
