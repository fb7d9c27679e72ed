import * as tf from '@tensorflow/tfjs';
import { ShapeError, type Batch, type CellOptions, type LossOptions, type RecurrentCell, type WeightMap } from '@nnkit/core';
import type { TrainableDecoder } from '@nnkit/decoding';
import {
  createOutputLayer,
  dropout,
  embeddingTable,
  maskedAccuracy,
  runTeacherForced,
  sparseCrossEntropySum,
  tidy,
  unstackSteps,
  type TeacherForcedDecoder,
} from '@nnkit/ops';
import { createAttention, type Attention } from './attention.js';
import { createBridge } from './bridge.js';
import type { AttentionKind } from './config.js';
import { createDecoder, decoderContextSize, type Decoder } from './decoder.js';
import { flattenState, readState, type TranslatorState } from './decoder-state.js';
import type { EncodedSource, EncodeOptions, Encoder } from './encoder.js';

export interface RunOptions {
  /** Dropout, and teacherForcing < 1, only while training. Default false. */
  readonly training?: boolean;
  /** Seeds dropout and the teacher-forcing coin, so that a resumed run repeats them. Default 0. */
  readonly seed?: number;
}

/** The decoder run over a whole target with teacher forcing. */
export interface Decoded {
  /** (batch, T, targetVocabularySize) */
  readonly logits: tf.Tensor3D;
  /** (batch, T, S): each target step's weights over the source positions; absent with attention 'none'. */
  readonly attention?: tf.Tensor3D;
}

/** The decoder side's hyperparameters, as the translator's and the listener's configs name them. */
export interface SpellerConfig {
  readonly targetVocabularySize: number;
  readonly embedding: number;
  readonly units: number;
  readonly decoderLayers: number;
  readonly attention: AttentionKind;
  readonly inputFeeding: boolean;
  /** While training, the chance that a step reads the true previous token: 1 where the model has no scheduled sampling. */
  readonly teacherForcing: number;
  readonly dropout: number;
  /** The registered cell of the decoder layers. */
  readonly cell: string;
}

/** What the speller needs of an encoder, whatever it reads: its weights and the sizes of what it gives the decoder. */
export type SpellerEncoder = Pick<Encoder, 'weights' | 'outputSize' | 'finalStateSizes'>;

/** A batch's targets, every tensor (batch, T). */
export interface Targets {
  readonly targetInput: tf.Tensor2D;
  readonly targetOutput: tf.Tensor2D;
  readonly targetMask: tf.Tensor2D;
}

export interface SpellerOptions<C, E extends SpellerEncoder> {
  /** The model's name in errors and in its flattened state: 'seq2seq/translator'. */
  readonly owner: string;
  readonly config: SpellerConfig;
  /** How decode's error names a target row and its length: { length: 'T', per: 'source' }. */
  readonly target: { readonly length: string; readonly per: string };
  /** E, the size of an encoder output, which the first decoder layer's context needs before the encoder is made. */
  readonly encoderOutputSize: number;
  readonly createCell: (name: string, options: CellOptions) => RecurrentCell;
  readonly seed: (label: string) => number;
  /** Makes the encoder, its cells through `makeCell`, so that a refused config frees them with the decoder's. */
  createEncoder(makeCell: (name: string, options: CellOptions) => RecurrentCell): E;
  /** Checks a context (a ShapeError naming `caller` where it does not fit) and encodes it. */
  encode(encoder: E, context: C, options: EncodeOptions, caller: string): EncodedSource;
  /** A batch's context and targets, checked. */
  readBatch(batch: Batch): C & Targets;
}

/** A TrainableDecoder from context C, and the encoder it was built with. */
export interface Speller<C, E extends SpellerEncoder> extends TrainableDecoder<C> {
  readonly encoder: E;
  /** Checks and encodes a context. */
  encode(context: C, options?: RunOptions): EncodedSource;
  /** Runs the decoder over `targetInput` (batch, T) from an encoding: logits and attention for every step. */
  decode(encoded: EncodedSource, targetInput: tf.Tensor2D, options?: RunOptions): Decoded;
}

/**
 * The decoder side of an encoder–decoder over any encoder that gives outputs, a mask and final states (the
 * translator's over ids, the listener's over frames), and the model around it:
 *
 *   bridge.ts         the encoder's final states → the decoder's initial state s_0
 *   attention.ts      scores the encoder outputs against a query → weights and context c_t, and h̃ = tanh(W_c [c_t; h_t])
 *   decoder.ts        one target step: the stacked decoder cells and attention → h̃_t (h_t without attention)
 *   output layer      h̃_t → logits over the target vocabulary (@nnkit/ops' createOutputLayer)
 *
 * The decoder cells come first, then the encoder (through `createEncoder`), then the attention; if one cannot be made
 * (a name the registry does not know) or does not fit, what was made so far is freed: a refused config leaves no
 * variable behind. Weights keep their names: `decoder/layer0/…`, `bridge/…`, `target-embedding`, `attention/…`, `output/…`.
 */
export function createSpeller<C, E extends SpellerEncoder>(options: SpellerOptions<C, E>): Speller<C, E> {
  const { owner, config, target, encoderOutputSize, createCell, seed } = options;
  const { targetVocabularySize, embedding, units, decoderLayers, attention: kind, inputFeeding, teacherForcing, dropout: rate } = config;

  const made: RecurrentCell[] = [];
  const makeCell = (name: string, cellOptions: CellOptions) => {
    const cell = createCell(name, cellOptions);
    made.push(cell);
    return cell;
  };
  let encoder: E;
  let attention: Attention | undefined;
  let decoder: Decoder;
  try {
    const contextSize = decoderContextSize(kind, inputFeeding, { encoderOutputSize, units });
    const cells = Array.from({ length: decoderLayers }, (_, l) =>
      makeCell(config.cell, {
        inputSize: l === 0 ? embedding : units,
        units,
        seed: seed(`decoder/layer${l}`),
        name: `decoder/layer${l}`,
        ...(l === 0 && contextSize > 0 && { contextSize }),
      }),
    );
    encoder = options.createEncoder(makeCell);
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
  // Its steps (and readout) come from decoder.prepareRun() in each run.
  const targets: Omit<TeacherForcedDecoder<TranslatorState>, 'step' | 'readout'> = { table: targetTable, output, dropout: rate };

  /** The decoder's start: s_0 from the encoder's final states, and the encoder outputs that attention reads. */
  const startFrom = (encoded: EncodedSource): TranslatorState =>
    decoder.initialState(
      bridge.initialState(encoded.finalStates),
      attention && { values: encoded.outputs, keys: attention.keys(encoded.outputs), mask: encoded.mask },
    );

  const encode: Speller<C, E>['encode'] = (context, { training = false, seed: runSeed = 0 } = {}) =>
    options.encode(encoder, context, { training, seed: runSeed }, 'encode');

  /**
   * The decoder over a whole target, step by step, reading the true previous token (teacher forcing) — or, while
   * training with teacherForcing < 1, per row and step the model's own previous argmax with probability
   * 1 − teacherForcing (scheduled sampling, Bengio et al. 2015). One loop serves both; the logits of every step come
   * from one matMul at the end.
   */
  const decode: Speller<C, E>['decode'] = (encoded, targetInput, { training = false, seed: runSeed = 0 } = {}) =>
    tidy(() => {
      if (targetInput.rank !== 2 || targetInput.shape[0] !== encoded.outputs.shape[0]) {
        throw new ShapeError(
          `${owner} decode expects targetInput of shape (${encoded.outputs.shape[0]}, ${target.length}), one row per ${target.per}, got [${targetInput.shape}].`,
        );
      }
      const sampling = training && teacherForcing < 1;
      // The true ids step by step, which only scheduled sampling reads (teacher forcing embeds them all at once).
      const trueIds = sampling ? (unstackSteps(tf.transpose(tf.cast(targetInput, 'int32')), 0) as tf.Tensor1D[]) : [];
      /**
       * Step t's input under scheduled sampling: per row, y_{t−1} with probability teacherForcing, else the model's own
       * argmax at step t − 1 — read without dropout, as decoding would choose it (the loss's logits keep theirs).
       */
      const sampledInput = (t: number, previousHidden: tf.Tensor2D, seedOf: (...names: (string | number)[]) => number) => {
        const own = tf.argMax(output.logits(previousHidden), 1) as tf.Tensor1D;
        const coin = tf.less(tf.randomUniform([own.shape[0]], 0, 1, 'float32', seedOf(t, 'coin')), teacherForcing);
        // These ids derive from the logits, so autodiff walks back through them: gather's gradient for its indices is
        // int32, which tfjs refuses, while oneHot's is float zeros. One-hot times the table is the same lookup.
        const read = tf.matMul(tf.oneHot(tf.where(coin, trueIds[t]!, own), targetVocabularySize), targetTable) as tf.Tensor2D;
        return dropout(read, rate, training, seedOf(t, 'embedding'));
      };
      // The cells' steps prepared once for the whole target (the LSTM's fused kernel on the native backend), and h̃
      // made for every step at once where no step reads it.
      return runTeacherForced({ ...targets, ...decoder.prepareRun() }, startFrom(encoded), targetInput, {
        training,
        seed: runSeed,
        ...(sampling && { replaceInput: sampledInput }),
      });
    });

  const forward = (batch: Batch, runOptions: RunOptions) => {
    const read = options.readBatch(batch);
    return { ...read, ...decode(encode(read, runOptions), read.targetInput, runOptions) };
  };

  return {
    encoder,
    vocabularySize: targetVocabularySize,
    weights,
    encode,
    decode,
    loss: (batch: Batch, { training, seed: lossSeed }: LossOptions) =>
      tidy(() => {
        const { logits, targetOutput, targetMask } = forward(batch, { training, seed: lossSeed ?? 0 });
        // Summed over the real target tokens, with their count as the weight: the trainer divides once.
        return {
          sum: sparseCrossEntropySum(logits, targetOutput, targetMask),
          weight: tf.sum(targetMask) as tf.Scalar,
        };
      }),
    metrics: (batch) =>
      tidy(() => {
        const { logits, targetOutput, targetMask } = forward(batch, { training: false });
        return { accuracy: maskedAccuracy(logits, targetOutput, targetMask) };
      }),
    initialState: (context) =>
      tidy(() => flattenState(startFrom(options.encode(encoder, context, { training: false, seed: 0 }, 'initialState')), decoder.parts)),
    step: (tokens, flat) =>
      tidy(() => {
        const x = tf.gather(targetTable, tf.cast(tokens, 'int32')) as tf.Tensor2D;
        const step = decoder.step(x, readState(flat, decoder.parts, owner));
        // The memory passes through as the same tensors: the decoding package frees each tensor once.
        return {
          logits: output.logits(step.hidden),
          state: flattenState(step.state, decoder.parts),
          ...(step.attention && { attention: step.attention }),
        };
      }),
    dispose: () => tf.dispose(Object.values(weights)),
  };
}
