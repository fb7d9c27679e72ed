import { field, type ConfigOf } from '@nnkit/core';
import { dropoutField, layerSizeField, vocabularySizeField } from '@nnkit/ops';

/** How the decoder looks at the source: not at all beyond the last state, or by attention. */
export const ATTENTION_KINDS = ['none', 'bahdanau', 'luong-dot', 'luong-general'] as const;
export type AttentionKind = (typeof ATTENTION_KINDS)[number];

/**
 * The translator's hyperparameters. Named settings of them (the papers', one for CMUdict, one for dates) live in
 * `presets.ts`, apart from the model's code.
 */
export const TRANSLATOR_CONFIG = {
  sourceVocabularySize: vocabularySizeField("source symbols, <pad> <s> </s> <unk> included (the corpus's sourceVocabulary.tokens.length)"),
  targetVocabularySize: vocabularySizeField("target symbols, <pad> <s> </s> <unk> included (the corpus's targetVocabulary.tokens.length)"),
  cell: field.string({
    default: 'lstm/lstm',
    description: 'the registered recurrent cell of the encoder and the decoder',
  }),
  encoderCell: field.string({
    default: '',
    description: "the encoder's cell, where it differs from `cell` ('': the same)",
  }),
  decoderCell: field.string({
    default: '',
    description: "the decoder's cell, where it differs from `cell` ('': the same)",
  }),
  embedding: layerSizeField(32, 'size of the source and of the target embeddings'),
  units: layerSizeField(64, 'hidden units of every recurrent layer (each direction of a bidirectional one)'),
  encoderLayers: field.integer({ default: 1, min: 1, max: 16, description: 'stacked encoder layers' }),
  decoderLayers: field.integer({ default: 1, min: 1, max: 16, description: 'stacked decoder layers' }),
  bidirectional: field.boolean({
    default: true,
    description:
      "each encoder layer reads the source both ways and joins the two outputs (2·units per position); the decoder starts from both directions' final states",
  }),
  attention: field.oneOf(ATTENTION_KINDS, {
    default: 'bahdanau',
    description:
      "'none': the decoder sees the source only through the encoder's final states (the bottleneck); else how it scores source positions",
  }),
  inputFeeding: field.boolean({
    default: false,
    description: "Luong's input feeding: the previous attentional vector joins the decoder's input (luong-* only)",
  }),
  teacherForcing: field.number({
    default: 1,
    min: 0,
    max: 1,
    description:
      "while training, the chance that a step reads the true previous token; otherwise the model's own argmax (Bengio et al. 2015)",
  }),
  dropout: dropoutField(
    'dropout on embeddings, between layers and before the output layer while training (never on recurrent connections)',
  ),
};

export type TranslatorConfig = ConfigOf<typeof TRANSLATOR_CONFIG>;

/** Ids fixed by the SymbolVocabulary contract in both vocabularies (core's reserved ids, under the names this plugin has exported). */
export { PAD_ID as PAD, START_ID as START, END_ID as END } from '@nnkit/core';
