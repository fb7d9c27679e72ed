import type * as tf from '@tensorflow/tfjs';
import { ConfigError, type CellOptions, type RecurrentCell } from '@nnkit/core';
import type { TrainableDecoder } from '@nnkit/decoding';
import type { TranslatorConfig } from './config.js';
import { createEncoder, type EncodedSource, type Encoder } from './encoder.js';
import { checkSource, readPairBatch } from './pair-batch.js';
import { createSpeller, type Decoded, type RunOptions } from './speller.js';
import { translate, type TranslateOptions, type Translation } from './translate.js';

/** What decoding starts from: a batch of sources, right-padded, and their mask. */
export interface TranslatorContext {
  /** (batch, S) source ids. */
  readonly source: tf.Tensor2D;
  /** (batch, S): 1 at real positions, 0 at padding. */
  readonly sourceMask: tf.Tensor2D;
}

/**
 * An encoder–decoder over any registered cells, with attention or without (the bottleneck). A TrainableModel (batches
 * of sequence pairs: `source`, `sourceMask`, `targetInput`, `targetOutput`, `targetMask`) and an IncrementalDecoder
 * (@nnkit/decoding's greedyDecode and beamSearch run it; `translate` does both for plain id lists).
 */
export interface Translator extends TrainableDecoder<TranslatorContext> {
  readonly config: TranslatorConfig;
  /**
   * Runs the encoder: (batch, S) ids and mask → outputs (batch, S, E) and every layer's final states. The mask is
   * right-padded, each row's real positions first (padPairs and the sequence-pairs task make it so).
   */
  encode(source: tf.Tensor2D, sourceMask: tf.Tensor2D, options?: RunOptions): EncodedSource;
  /** Runs the decoder over `targetInput` (batch, T) from an encoded source: logits and attention for every step. */
  decode(encoded: EncodedSource, targetInput: tf.Tensor2D, options?: RunOptions): Decoded;
  /**
   * The state before the first target token: a TranslatorState (decoder-state.ts) by name — the decoder layers'
   * components, the carried vector, the encoded source — flattened for the IncrementalDecoder contract.
   */
  initialState(context: TranslatorContext): tf.Tensor[];
  /** Decodes plain source id lists (greedy, or beam search with `beam`), from `<s>` until `</s>`. */
  translate(sourceIds: readonly (readonly number[])[], options?: TranslateOptions): Promise<Translation>;
}

const OWNER = 'seq2seq/translator';

/**
 * The encoder–decoder of the lecture's sequence-to-sequence slides (Sutskever et al. 2014; Cho et al. 2014) and its
 * attention (Bahdanau et al. 2015; Luong et al. 2015), in small modules, each with a straight forward pass:
 *
 *   encoder.ts        the source, embedded, through stacked (bidirectional) cells → outputs and final states
 *   bridge.ts         the encoder's final states → the decoder's initial state s_0
 *   attention.ts      scores the source positions against a query → weights and context c_t, and h̃ = tanh(W_c [c_t; h_t])
 *   decoder.ts        one target step: the stacked decoder cells and attention → h̃_t (h_t without attention)
 *   output layer      h̃_t → logits over the target vocabulary (@nnkit/ops' createOutputLayer)
 *
 * Bahdanau's deep maxout output is replaced by Luong's h̃ for both attentions, which keeps one output layer. All after
 * the encoder is speller.ts's, shared with the listener: the translator brings its encoder and reads sequence pairs.
 */
export function createTranslator(
  config: TranslatorConfig,
  createCell: (name: string, options: CellOptions) => RecurrentCell,
  seed: (label: string) => number,
): Translator {
  const { sourceVocabularySize, embedding, units, encoderLayers, bidirectional, dropout: rate } = config;
  const encoderOutputSize = (bidirectional ? 2 : 1) * units;
  refuseIncompatible(config, encoderOutputSize);

  const encoderCell = config.encoderCell || config.cell;
  // The encoder stays inside: only the listener shows its own (for its reduction).
  const {
    encoder: _encoder,
    encode,
    ...speller
  } = createSpeller<TranslatorContext, Encoder>({
    owner: OWNER,
    config: { ...config, cell: config.decoderCell || config.cell },
    target: { length: 'T', per: 'source' },
    encoderOutputSize,
    createCell,
    seed,
    createEncoder: (makeCell) =>
      createEncoder({
        vocabularySize: sourceVocabularySize,
        embedding,
        units,
        layers: encoderLayers,
        bidirectional,
        dropout: rate,
        seed,
        createCell: (options) => makeCell(encoderCell, options),
      }),
    encode: (encoder, { source, sourceMask }, options, caller) => {
      checkSource(source, sourceMask, caller);
      return encoder.encode(source, sourceMask, options);
    },
    readBatch: readPairBatch,
  });

  const model: Translator = {
    config,
    ...speller,
    encode: (source, sourceMask, options) => encode({ source, sourceMask }, options),
    translate: (sourceIds, options) => translate(model, sourceIds, options),
  };
  return model;
}

/** Settings that each are valid but do not go together, refused before anything is allocated. */
function refuseIncompatible({ attention: kind, inputFeeding, units }: TranslatorConfig, encoderOutputSize: number): void {
  if (inputFeeding && kind !== 'luong-dot' && kind !== 'luong-general') {
    throw new ConfigError(
      `inputFeeding expects attention 'luong-dot' or 'luong-general', got attention '${kind}'. ` +
        (kind === 'bahdanau'
          ? "Bahdanau's context already feeds the decoder's input: set inputFeeding false."
          : 'There is no attentional vector to feed without attention: set inputFeeding false.'),
      'inputFeeding',
    );
  }
  if (kind === 'luong-dot' && encoderOutputSize !== units) {
    throw new ConfigError(
      `attention 'luong-dot' expects the decoder's units to equal the size of an encoder output, got units ${units} and encoder outputs of ` +
        `${encoderOutputSize} (bidirectional: 2 × units). Use attention 'luong-general' (which learns the map between them), or bidirectional false.`,
      'attention',
    );
  }
}
