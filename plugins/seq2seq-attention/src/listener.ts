import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, type Batch, type CellOptions, type LossOptions, type RecurrentCell, type WeightMap } from '@nnkit/core';
import type { TrainableDecoder } from '@nnkit/decoding';
import {
  createOutputLayer,
  embeddingTable,
  maskedAccuracy,
  runTeacherForced,
  sparseCrossEntropySum,
  tidy,
  type TeacherForcedDecoder,
} from '@nnkit/ops';
import { createAttention, type Attention } from './attention.js';
import { createBridge } from './bridge.js';
import { createDecoder, decoderContextSize, type Decoder } from './decoder.js';
import { flattenState, readState, type TranslatorState } from './decoder-state.js';
import type { EncodedSource } from './encoder.js';
import { createListenerEncoder, type ListenerEncoder } from './listener-encoder.js';
import type { ListenerConfig } from './listener-config.js';
import { checkFrames, readSpeechBatch } from './speech-batch.js';
import { transcribe, type SpeechContext } from './transcribe.js';
import type { Decoded, RunOptions } from './translator.js';
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
 *   bridge.ts             the encoder's final states → the speller's initial state
 *   decoder.ts            the translator's decoder, attending over h_1 … h_U (Bahdanau or Luong), or not at all
 *   output layer          → logits over the characters
 *
 * With attention 'none' it is the bottleneck baseline: the speller hears the utterance only through the bridge.
 */
export function createListener(
  config: ListenerConfig,
  createCell: (name: string, options: CellOptions) => RecurrentCell,
  seed: (label: string) => number,
): Listener {
  const {
    featureSize,
    targetVocabularySize,
    projection,
    units,
    encoderLayers,
    embedding,
    decoderLayers,
    attention: kind,
    inputFeeding,
  } = config;
  const rate = config.dropout;
  const encoderOutputSize = 2 * units;
  refuseIncompatible(config);

  // As the translator: the cells first, and whatever was made is freed if one cannot be made.
  const made: RecurrentCell[] = [];
  const makeCell = (options: CellOptions) => {
    const cell = createCell(config.cell, options);
    made.push(cell);
    return cell;
  };
  let encoder: ListenerEncoder;
  let attention: Attention | undefined;
  let decoder: Decoder;
  try {
    const contextSize = decoderContextSize(kind, inputFeeding, { encoderOutputSize, units });
    const cells = Array.from({ length: decoderLayers }, (_, l) =>
      makeCell({
        inputSize: l === 0 ? embedding : units,
        units,
        seed: seed(`decoder/layer${l}`),
        name: `decoder/layer${l}`,
        ...(l === 0 && contextSize > 0 && { contextSize }),
      }),
    );
    encoder = createListenerEncoder({ featureSize, projection, units, layers: encoderLayers, dropout: rate, createCell: makeCell, seed });
    attention = kind === 'none' ? undefined : createAttention(kind, { valueSize: encoder.outputSize, units, seed });
    decoder = createDecoder({ kind, inputFeeding, cells, dropout: rate, ...(attention && { attention }) });
  } catch (error) {
    tf.dispose([...made.flatMap((cell) => Object.values(cell.weights)), ...Object.values(attention?.weights ?? {})]);
    throw error;
  }
  const bridge = createBridge(
    encoder.finalStateSizes,
    decoder.stack.cells.map((cell) => cell.stateSizes),
    seed,
  );
  const targetTable = embeddingTable(targetVocabularySize, embedding, seed('target-embedding'));
  const output = createOutputLayer(units, targetVocabularySize, rate, seed);
  const weights: WeightMap = {
    ...encoder.weights,
    ...bridge.weights,
    'target-embedding': targetTable,
    ...decoder.stack.weights,
    ...attention?.weights,
    ...output.weights,
  };
  const targets: Omit<TeacherForcedDecoder<TranslatorState>, 'step' | 'readout'> = { table: targetTable, output, dropout: rate };

  const startFrom = (encoded: EncodedSource): TranslatorState =>
    decoder.initialState(
      bridge.initialState(encoded.finalStates),
      attention && { values: encoded.outputs, keys: attention.keys(encoded.outputs), mask: encoded.mask },
    );

  const encode: Listener['encode'] = (frames, frameMask, { training = false, seed: runSeed = 0 } = {}) => {
    checkFrames(frames, frameMask, featureSize, 'encode');
    return encoder.encode(frames, frameMask, { training, seed: runSeed });
  };

  const decode: Listener['decode'] = (encoded, targetInput, { training = false, seed: runSeed = 0 } = {}) =>
    tidy(() => {
      if (targetInput.rank !== 2 || targetInput.shape[0] !== encoded.outputs.shape[0]) {
        throw new ShapeError(
          `${OWNER} decode expects targetInput of shape (${encoded.outputs.shape[0]}, L), one row per utterance, got [${targetInput.shape}].`,
        );
      }
      return runTeacherForced({ ...targets, ...decoder.prepareRun() }, startFrom(encoded), targetInput, { training, seed: runSeed });
    });

  const forward = (batch: Batch, options: RunOptions) => {
    const speech = readSpeechBatch(batch, featureSize);
    return { ...speech, ...decode(encode(speech.frames, speech.frameMask, options), speech.targetInput, options) };
  };

  const model: Listener = {
    config,
    reduction: encoder.reduction,
    vocabularySize: targetVocabularySize,
    weights,
    encode,
    decode,
    loss: (batch: Batch, { training, seed: lossSeed }: LossOptions) =>
      tidy(() => {
        const { logits, targetOutput, targetMask } = forward(batch, { training, seed: lossSeed ?? 0 });
        // Summed over the real target tokens, with their count as the weight: the trainer divides once.
        return { sum: sparseCrossEntropySum(logits, targetOutput, targetMask), weight: tf.sum(targetMask) as tf.Scalar };
      }),
    metrics: (batch) =>
      tidy(() => {
        const { logits, targetOutput, targetMask } = forward(batch, { training: false });
        return { accuracy: maskedAccuracy(logits, targetOutput, targetMask) };
      }),
    initialState: ({ frames, frameMask }) => {
      checkFrames(frames, frameMask, featureSize, 'initialState');
      return tidy(() => flattenState(startFrom(encoder.encode(frames, frameMask, { training: false, seed: 0 })), decoder.parts));
    },
    step: (tokens, flat) =>
      tidy(() => {
        const x = tf.gather(targetTable, tf.cast(tokens, 'int32')) as tf.Tensor2D;
        const step = decoder.step(x, readState(flat, decoder.parts, OWNER));
        // The memory passes through as the same tensors: the decoding package frees each tensor once.
        return {
          logits: output.logits(step.hidden),
          state: flattenState(step.state, decoder.parts),
          ...(step.attention && { attention: step.attention }),
        };
      }),
    transcribe: (utterances, options) => transcribe(model, utterances, { featureSize, reduction: encoder.reduction }, options),
    dispose: () => tf.dispose(Object.values(weights)),
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
