import type * as tf from '@tensorflow/tfjs';
import { ConfigError, type CellOptions, type RecurrentCell } from '@nnkit/core';
import type { TrainableDecoder } from '@nnkit/decoding';
import type { EncodedSource } from './encoder.js';
import { createListenerEncoder, type ListenerEncoder } from './listener-encoder.js';
import type { ListenerConfig } from './listener-config.js';
import { createSpeller, type Decoded, type RunOptions } from './speller.js';
import { checkFrames, readSpeechBatch } from './speech-batch.js';
import { transcribe, type SpeechContext } from './transcribe.js';
import type { TranslateOptions, Translation } from './translate.js';

/**
 * Listen, Attend and Spell in small: a TrainableModel over batches of transcribed speech (`frames`, `frameMask`,
 * `targetInput`, `targetOutput`, `targetMask`: the speech-transcripts task's) and an IncrementalDecoder from frames.
 */
export interface Listener extends TrainableDecoder<SpeechContext> {
  readonly config: ListenerConfig;
  /** Frames per encoder step (2^encoderLayers): attention weighs encoder steps, each this many frames. */
  readonly reduction: number;
  /** frames (batch, T, featureSize) and their mask → encoder outputs (batch, ⌈T / reduction⌉, 2·units), mask and final states. */
  encode(frames: tf.Tensor3D, frameMask: tf.Tensor2D, options?: RunOptions): EncodedSource;
  /** The speller over `targetInput` (batch, L) from an encoding, teacher-forced: logits and attention of every step. */
  decode(encoded: EncodedSource, targetInput: tf.Tensor2D, options?: RunOptions): Decoded;
  /** Utterances (each frameCount × featureSize values, row-major) → target ids, greedy or with `beam`. */
  transcribe(utterances: readonly Float32Array[], options?: TranslateOptions): Promise<Translation>;
}

const OWNER = 'seq2seq/listener';

/**
 * The listener–speller of Chan et al. 2016 (Listen, Attend and Spell), made of the translator's parts:
 *
 *   listener-encoder.ts   frames → linear projection → pyramidal bidirectional layers (time / 2 at each) → h_1 … h_U
 *   speller.ts            the translator's decoder side, shared with it:
 *     bridge.ts           the encoder's final states → the speller's initial state
 *     decoder.ts          the translator's decoder, attending over h_1 … h_U (Bahdanau or Luong), or not at all
 *     output layer        → logits over the characters
 *
 * With attention 'none' it is the bottleneck baseline: the speller hears the utterance only through the bridge.
 */
export function createListener(
  config: ListenerConfig,
  createCell: (name: string, options: CellOptions) => RecurrentCell,
  seed: (label: string) => number,
): Listener {
  const { featureSize, projection, units, encoderLayers, dropout: rate } = config;
  refuseIncompatible(config);

  // The speller is the translator's decoder side; a listener has no scheduled sampling.
  const { encoder, encode, ...speller } = createSpeller<SpeechContext, ListenerEncoder>({
    owner: OWNER,
    config: { ...config, teacherForcing: 1 },
    target: { length: 'L', per: 'utterance' },
    encoderOutputSize: 2 * units,
    createCell,
    seed,
    createEncoder: (makeCell) =>
      createListenerEncoder({
        featureSize,
        projection,
        units,
        layers: encoderLayers,
        dropout: rate,
        createCell: (options) => makeCell(config.cell, options),
        seed,
      }),
    encode: (encoder, { frames, frameMask }, options, caller) => {
      checkFrames(frames, frameMask, featureSize, caller);
      return encoder.encode(frames, frameMask, options);
    },
    readBatch: (batch) => readSpeechBatch(batch, featureSize),
  });

  const model: Listener = {
    config,
    reduction: encoder.reduction,
    ...speller,
    encode: (frames, frameMask, options) => encode({ frames, frameMask }, options),
    transcribe: (utterances, options) => transcribe(model, utterances, { featureSize, reduction: encoder.reduction }, options),
  };
  return model;
}

/** Settings that each are valid but do not go together in a listener, refused before anything is allocated. */
function refuseIncompatible({ attention: kind, inputFeeding }: ListenerConfig): void {
  if (kind === 'luong-dot') {
    throw new ConfigError(
      "attention 'luong-dot' expects the decoder's units to equal the size of an encoder output, got a bidirectional listener " +
        "(encoder outputs of 2 × units). Use attention 'luong-general' (which learns the map between them) or 'bahdanau'.",
      'attention',
    );
  }
  if (inputFeeding && kind !== 'luong-general') {
    throw new ConfigError(
      `inputFeeding expects attention 'luong-general', got attention '${kind}'. Set inputFeeding false.`,
      'inputFeeding',
    );
  }
}
