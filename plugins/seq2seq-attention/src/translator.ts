import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, type Batch, type CellOptions, type LossOptions, type RecurrentCell, type WeightMap } from '@nnkit/core';
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
import type { TranslatorConfig } from './config.js';
import { createDecoder, decoderContextSize, type Decoder } from './decoder.js';
import { flattenState, readState, type TranslatorState } from './decoder-state.js';
import { createEncoder, type EncodedSource, type Encoder } from './encoder.js';
import { checkSource, readPairBatch } from './pair-batch.js';
import { translate, type TranslateOptions, type Translation } from './translate.js';

/** What decoding starts from: a batch of sources, right-padded, and their mask. */
export interface TranslatorContext {
  /** (batch, S) source ids. */
  readonly source: tf.Tensor2D;
  /** (batch, S): 1 at real positions, 0 at padding. */
  readonly sourceMask: tf.Tensor2D;
}

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
 * Bahdanau's deep maxout output is replaced by Luong's h̃ for both attentions, which keeps one output layer.
 */
export function createTranslator(
  config: TranslatorConfig,
  createCell: (name: string, options: CellOptions) => RecurrentCell,
  seed: (label: string) => number,
): Translator {
  const {
    sourceVocabularySize,
    targetVocabularySize,
    embedding,
    units,
    encoderLayers,
    decoderLayers,
    bidirectional,
    attention: kind,
    inputFeeding,
    teacherForcing,
    dropout: rate,
  } = config;
  const encoderOutputSize = (bidirectional ? 2 : 1) * units;
  refuseIncompatible(config, encoderOutputSize);

  // The cells and the attention come first, and if one cannot be made (a name the registry does not know) or does not
  // fit, what was made so far is freed: a refused config leaves no variable behind.
  const made: RecurrentCell[] = [];
  const makeCell = (name: string, options: CellOptions) => {
    const cell = createCell(name, options);
    made.push(cell);
    return cell;
  };
  let encoder: Encoder;
  let attention: Attention | undefined;
  let decoder: Decoder;
  try {
    const contextSize = decoderContextSize(kind, inputFeeding, { encoderOutputSize, units });
    const cells = Array.from({ length: decoderLayers }, (_, l) =>
      makeCell(config.decoderCell || config.cell, {
        inputSize: l === 0 ? embedding : units,
        units,
        seed: seed(`decoder/layer${l}`),
        name: `decoder/layer${l}`,
        ...(l === 0 && contextSize > 0 && { contextSize }),
      }),
    );
    const encoderCell = config.encoderCell || config.cell;
    encoder = createEncoder({
      vocabularySize: sourceVocabularySize,
      embedding,
      units,
      layers: encoderLayers,
      bidirectional,
      dropout: rate,
      seed,
      createCell: (options) => makeCell(encoderCell, options),
    });
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

  /** The decoder's start: s_0 from the encoder's final states, and the source that attention reads. */
  const startFrom = (encoded: EncodedSource): TranslatorState =>
    decoder.initialState(
      bridge.initialState(encoded.finalStates),
      attention && { values: encoded.outputs, keys: attention.keys(encoded.outputs), mask: encoded.mask },
    );

  const encode: Translator['encode'] = (source, sourceMask, { training = false, seed: runSeed = 0 } = {}) => {
    checkSource(source, sourceMask, 'encode');
    return encoder.encode(source, sourceMask, { training, seed: runSeed });
  };

  /**
   * The decoder over a whole target, step by step, reading the true previous token (teacher forcing) — or, while
   * training with teacherForcing < 1, per row and step the model's own previous argmax with probability
   * 1 − teacherForcing (scheduled sampling, Bengio et al. 2015). One loop serves both; the logits of every step come
   * from one matMul at the end.
   */
  const decode: Translator['decode'] = (encoded, targetInput, { training = false, seed: runSeed = 0 } = {}) =>
    tidy(() => {
      if (targetInput.rank !== 2 || targetInput.shape[0] !== encoded.outputs.shape[0]) {
        throw new ShapeError(
          `${OWNER} decode expects targetInput of shape (${encoded.outputs.shape[0]}, T), one row per source, got [${targetInput.shape}].`,
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

  const forward = (batch: Batch, options: RunOptions) => {
    const pair = readPairBatch(batch);
    return { ...pair, ...decode(encode(pair.source, pair.sourceMask, options), pair.targetInput, options) };
  };

  const model: Translator = {
    config,
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
    initialState: ({ source, sourceMask }) => {
      checkSource(source, sourceMask, 'initialState');
      return tidy(() => flattenState(startFrom(encoder.encode(source, sourceMask, { training: false, seed: 0 })), decoder.parts));
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
    translate: (sourceIds, options) => translate(model, sourceIds, options),
    dispose: () => tf.dispose(Object.values(weights)),
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
