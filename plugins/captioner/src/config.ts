import { field, type ConfigOf, type Field } from '@nnkit/core';
import { dropoutField, layerSizeField, vocabularySizeField } from '@nnkit/ops';

/** How the decoder sees the image: through soft attention over the grid each word, or once, as its initial state. */
export const ATTENTION_KINDS = ['soft', 'none'] as const;
export type CaptionerAttention = (typeof ATTENTION_KINDS)[number];

/** The captioner's hyperparameters; `nnkit train` fills the vocabulary size and the image shape from the dataset. */
export const CAPTIONER_CONFIG = {
  vocabularySize: vocabularySizeField("caption symbols, <pad> <s> </s> <unk> included (the corpus's vocabulary.tokens.length)"),
  imageHeight: field.integer({
    default: 56,
    min: 1,
    max: 4096,
    description: 'height of the input images (digit-scenes: 56, digit-lines: 28)',
  }),
  imageWidth: field.integer({
    default: 56,
    min: 1,
    max: 4096,
    description: 'width of the input images (digit-scenes: 56, digit-lines: 224)',
  }),
  imageChannels: field.integer({ default: 1, min: 1, max: 4, description: 'channels of the input images (grey: 1)' }),
  encoder: field.string({
    default: 'cnn-features/conv3',
    description: 'the registered image encoder: a grid (height, width, depth) to attend over, or a vector',
  }),
  encoderOptions: {
    type: 'object',
    default: {},
    description: 'options for the encoder besides seed, name and the images\' shape ({ "kernelSize": 5 } for cnn-features)',
    check: (value) =>
      typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : 'a JSON object of encoder options',
  } satisfies Field<Record<string, unknown>>,
  cell: field.string({
    default: 'lstm/lstm',
    description: "the registered recurrent cell of the decoder (its state's first component must be h)",
  }),
  attention: field.oneOf(ATTENTION_KINDS, {
    default: 'soft',
    description:
      "'soft': each word attends over the grid (Xu et al. 2015); 'none': the whole grid enters once, as the initial state (Vinyals et al. 2015)",
  }),
  embedding: layerSizeField(64, 'size of the word embeddings'),
  units: layerSizeField(256, "the decoder cell's hidden units"),
  attentionUnits: layerSizeField(128, 'size of the additive attention layer (f_att)'),
  attentionPenalty: field.number({
    default: 0.01,
    min: 0,
    description:
      'λ of the doubly stochastic regularization (Xu et al. 2015, eq. 14): pushes every grid position to be attended about as much over a caption',
  }),
  freezeEncoder: field.boolean({
    default: false,
    description: "keep the encoder's weights as they are (trained elsewhere) instead of fine-tuning them",
  }),
  dropout: dropoutField('dropout on the word embeddings and before the output layer while training'),
};

export type CaptionerConfig = ConfigOf<typeof CAPTIONER_CONFIG>;

/** Ids fixed by the SymbolVocabulary contract (core's reserved ids, under the names this plugin has exported). */
export { PAD_ID as PAD, START_ID as START, END_ID as END } from '@nnkit/core';
