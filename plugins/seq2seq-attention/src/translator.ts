import * as tf from '@tensorflow/tfjs';
import {
  ConfigError,
  ShapeError,
  dense,
  dropout,
  embeddingTable,
  glorot,
  requireTensors,
  tidy,
  timeSteps,
  zerosVariable,
  type Batch,
  type CellOptions,
  type DecoderState,
  type IncrementalDecoder,
  type LossOptions,
  type RecurrentCell,
  type TrainableModel,
  type WeightMap,
  type WeightedSum,
} from '@nnkit/core';
import { sparseCrossEntropySum } from '@nnkit/ops';
import { createAttention, type Memory } from './attention.js';
import { createBridge } from './bridge.js';
import type { TranslatorConfig } from './config.js';
import { createEncoder, type EncodedSource } from './encoder.js';
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
 * (core's greedyDecode and beamSearch run it; `translate` does both for plain id lists).
 */
export interface Translator extends TrainableModel, IncrementalDecoder<TranslatorContext> {
  readonly config: TranslatorConfig;
  /** The target vocabulary's size (the logits' width). */
  readonly vocabularySize: number;
  /** Runs the encoder: (batch, S) ids and mask → outputs (batch, S, E) and every layer's final states. */
  encode(source: tf.Tensor2D, sourceMask: tf.Tensor2D, options?: RunOptions): EncodedSource;
  /** Runs the decoder over `targetInput` (batch, T) from an encoded source: logits and attention for every step. */
  decode(encoded: EncodedSource, targetInput: tf.Tensor2D, options?: RunOptions): Decoded;
  /**
   * The state before the first target token, every tensor batch-major (so core's default gather reorders it for
   * beams): each decoder layer's state components, then the carried vector (Bahdanau: the previous top output s_{t−1};
   * Luong with input feeding: the previous attentional vector h̃_{t−1}), then the encoder's outputs, their projection
   * for attention (left out for luong-dot, whose keys are the outputs) and the source mask.
   */
  initialState(context: TranslatorContext): tf.Tensor[];
  step(tokens: tf.Tensor1D, state: DecoderState): { logits: tf.Tensor2D; state: tf.Tensor[]; attention?: tf.Tensor2D };
  /** Decodes plain source id lists (greedy, or beam search with `beam`), from `<s>` until `</s>`. */
  translate(sourceIds: readonly (readonly number[])[], options?: TranslateOptions): Promise<Translation>;
  /** Token accuracy under teacher forcing: correct real target tokens, over the real target tokens. */
  metrics(batch: Batch): Record<string, WeightedSum>;
  dispose(): void;
}

const OWNER = 'seq2seq/translator';
const PAIR_TENSORS = ['source', 'sourceMask', 'targetInput', 'targetOutput', 'targetMask'] as const;

/**
 * The encoder–decoder of the lecture's sequence-to-sequence slides (Sutskever et al. 2014; Cho et al. 2014) and its
 * attention (Bahdanau et al. 2015; Luong et al. 2015). At target step t, with y_{t−1} the previous token (the true one
 * under teacher forcing):
 *
 *   none           h_t = decoder(y_{t−1}, s_{t−1});                     logits = W_o h_t + b_o
 *   bahdanau       c_t = attend(s_{t−1}); h_t = decoder([y_{t−1}], s_{t−1}, context c_t);
 *                  h̃_t = tanh(W_c [c_t; h_t]);                          logits = W_o h̃_t + b_o
 *   luong-*        h_t = decoder([y_{t−1}], s_{t−1}, context h̃_{t−1} with input feeding); c_t = attend(h_t);
 *                  h̃_t = tanh(W_c [c_t; h_t]);                          logits = W_o h̃_t + b_o
 *
 * s_0 comes from the encoder's final states through the bridge (bridge.ts). The context reaches the decoder's first
 * cell through the cell contract's `contextSize`/`context`, so any registered cell serves. Bahdanau's deep maxout
 * output is replaced by Luong's h̃ for both, which keeps one output layer for every attention kind.
 */
export function createTranslator(
  config: TranslatorConfig,
  createCell: (name: string, options: CellOptions) => RecurrentCell,
  seed: (label: string) => number,
): Translator {
  const { sourceVocabularySize, targetVocabularySize, embedding, units, encoderLayers, decoderLayers, bidirectional, attention: kind, inputFeeding, teacherForcing, dropout: rate } = config;
  const encoderCellName = config.encoderCell || config.cell;
  const decoderCellName = config.decoderCell || config.cell;
  if (inputFeeding && kind !== 'luong-dot' && kind !== 'luong-general') {
    throw new ConfigError(
      `inputFeeding expects attention 'luong-dot' or 'luong-general', got attention '${kind}'. ` +
        (kind === 'bahdanau' ? "Bahdanau's context already feeds the decoder's input: set inputFeeding false." : 'There is no attentional vector to feed without attention: set inputFeeding false.'),
      'inputFeeding',
    );
  }

  const encoderOutputSize = (bidirectional ? 2 : 1) * units;
  if (kind === 'luong-dot' && encoderOutputSize !== units) {
    throw new ConfigError(
      `attention 'luong-dot' expects the decoder's units to equal the size of an encoder output, got units ${units} and encoder outputs of ` +
        `${encoderOutputSize} (bidirectional: 2 × units). Use attention 'luong-general' (which learns the map between them), or bidirectional false.`,
      'attention',
    );
  }

  // The cells come first, and if one cannot be made (a name the registry does not know) or does not fit, those made
  // so far are freed: a refused config leaves no variable behind.
  const made: RecurrentCell[] = [];
  const refuse = (error: unknown): never => {
    tf.dispose(made.flatMap((cell) => Object.values(cell.weights)));
    throw error;
  };
  const makeCell = (name: string, options: CellOptions) => {
    try {
      const cell = createCell(name, options);
      made.push(cell);
      return cell;
    } catch (error) {
      return refuse(error);
    }
  };
  // What the first decoder cell reads besides y_{t−1}: Bahdanau's context c_t, or Luong's fed h̃_{t−1}.
  const contextSize = kind === 'bahdanau' ? encoderOutputSize : inputFeeding ? units : 0;
  const cells = Array.from({ length: decoderLayers }, (_, l) =>
    makeCell(decoderCellName, {
      inputSize: l === 0 ? embedding : units,
      units,
      seed: seed(`decoder/layer${l}`),
      name: `decoder/layer${l}`,
      ...(l === 0 && contextSize > 0 && { contextSize }),
    }),
  );
  const top = cells[decoderLayers - 1]!;
  if (kind === 'bahdanau' && top.stateSizes[0] !== units) {
    refuse(
      new ConfigError(
        `attention 'bahdanau' expects the decoder cell's first state component to be its output h (size ${units}), got '${decoderCellName}' ` +
          `with stateSizes [${top.stateSizes.join(', ')}]. Use a cell whose state starts with h (lstm/lstm, gru/gru), or a luong-* attention.`,
        'decoderCell',
      ),
    );
  }
  const encoder = createEncoder({
    vocabularySize: sourceVocabularySize,
    embedding,
    units,
    layers: encoderLayers,
    bidirectional,
    dropout: rate,
    createCell: (options) => makeCell(encoderCellName, options),
    seed,
  });
  const attention = kind === 'none' ? undefined : createAttention(kind, { valueSize: encoder.outputSize, units, seed });
  const bridge = createBridge(encoder.finalStateSizes, cells.map((cell) => cell.stateSizes), seed);
  const targetTable = embeddingTable(targetVocabularySize, embedding, seed('target-embedding'));
  const outputKernel = glorot(units, targetVocabularySize, seed('output')); // (units, targetVocabularySize)
  const outputBias = zerosVariable(targetVocabularySize);
  const weights: WeightMap = {
    ...encoder.weights,
    ...bridge.weights,
    'target-embedding': targetTable,
    ...Object.assign({}, ...cells.map((cell) => cell.weights)),
    ...attention?.weights,
    'output/kernel': outputKernel,
    'output/bias': outputBias,
  };

  // The decoder's state, flattened: every layer's components, the carried vector if any, the memory if attending.
  const componentCounts = cells.map((cell) => cell.stateSizes.length);
  const layerComponents = componentCounts.reduce((a, b) => a + b, 0);
  const carries = kind === 'bahdanau' || inputFeeding;
  const keysApart = kind !== 'none' && kind !== 'luong-dot';
  const stateLength = layerComponents + (carries ? 1 : 0) + (kind === 'none' ? 0 : keysApart ? 3 : 2);

  const pack = (layers: tf.Tensor2D[], carried: tf.Tensor2D | undefined, memory: Memory | undefined): tf.Tensor[] => [
    ...layers,
    ...(carried ? [carried] : []),
    ...(memory ? [memory.values, ...(keysApart ? [memory.keys] : []), memory.mask] : []),
  ];
  const unpack = (state: DecoderState) => {
    if (state.length !== stateLength) {
      throw new ShapeError(`${OWNER} step expects a state of ${stateLength} tensors (as initialState makes), got ${state.length}. Start from model.initialState({ source, sourceMask }).`);
    }
    const layers = state.slice(0, layerComponents) as tf.Tensor2D[];
    const carried = carries ? (state[layerComponents] as tf.Tensor2D) : undefined;
    const rest = state.slice(layerComponents + (carries ? 1 : 0));
    const memory: Memory | undefined =
      kind === 'none' ? undefined : { values: rest[0] as tf.Tensor3D, keys: (keysApart ? rest[1] : rest[0]) as tf.Tensor3D, mask: rest.at(-1) as tf.Tensor2D };
    return { layers, carried, memory };
  };
  const memoryOf = (encoded: EncodedSource): Memory | undefined =>
    attention && { values: encoded.outputs, keys: attention.keys(encoded.outputs), mask: encoded.mask };
  /** Before the first step: Bahdanau's query s_0 is the top layer's initial h; Luong's fed h̃_0 is zeros. */
  const initialCarried = (layers: tf.Tensor2D[]): tf.Tensor2D | undefined => {
    if (kind === 'bahdanau') return tf.clone(layers[layerComponents - componentCounts[decoderLayers - 1]!]!);
    return inputFeeding ? (tf.zeros([layers[0]!.shape[0], units]) as tf.Tensor2D) : undefined;
  };

  /** One target step through every layer (x: the embedded previous token), and attention where there is one. */
  const decoderStep = (x: tf.Tensor2D, layers: readonly tf.Tensor2D[], carried: tf.Tensor2D | undefined, memory: Memory | undefined, training: boolean, stepSeed: number) => {
    let attended = kind === 'bahdanau' ? attention!.attend(carried!, memory!) : undefined;
    const context = kind === 'bahdanau' ? attended!.context : carried;
    const next: tf.Tensor2D[] = [];
    let input = x;
    let offset = 0;
    cells.forEach((cell, l) => {
      const result = cell.step(input, layers.slice(offset, offset + componentCounts[l]!), {
        training,
        seed: stepSeed + l,
        ...(l === 0 && context && { context }),
      });
      offset += componentCounts[l]!;
      next.push(...result.state);
      input = l < decoderLayers - 1 ? dropout(result.output, rate, training, stepSeed + 101 * (l + 1)) : result.output;
    });
    if (!attention) return { hidden: input, layers: next, carried: undefined, weights: undefined };
    attended ??= attention.attend(input, memory!);
    const hidden = attention.combine(attended.context, input); // h̃_t, (batch, units)
    return { hidden, layers: next, carried: kind === 'bahdanau' ? input : inputFeeding ? hidden : undefined, weights: attended.weights };
  };
  const logitsOf = (hidden: tf.Tensor, training: boolean, dropSeed: number) => dense(dropout(hidden, rate, training, dropSeed), outputKernel, outputBias);

  const encode: Translator['encode'] = (source, sourceMask, { training = false, seed: runSeed = 0 } = {}) => {
    checkSource(source, sourceMask, 'encode');
    return encoder.encode(source, sourceMask, { training, seed: runSeed });
  };

  const decode: Translator['decode'] = (encoded, targetInput, { training = false, seed: runSeed = 0 } = {}) =>
    tidy(() => {
      if (targetInput.rank !== 2 || targetInput.shape[0] !== encoded.outputs.shape[0]) {
        throw new ShapeError(`${OWNER} decode expects targetInput of shape (${encoded.outputs.shape[0]}, T), one row per source, got [${targetInput.shape}].`);
      }
      const [batch, steps] = targetInput.shape;
      const memory = memoryOf(encoded);
      let layers = bridge.initialState(encoded.finalStates);
      let carried = initialCarried(layers);
      // Time-major inside, (T, batch, …), so that the steps are contiguous slices (layers.ts, timeSteps).
      const timeMajor = tf.transpose(tf.cast(targetInput, 'int32')) as tf.Tensor2D;
      const ids = timeSteps(timeMajor) as tf.Tensor1D[];
      // With teacherForcing < 1 a step may read the model's own previous argmax, so the logits come step by step.
      const sampling = training && teacherForcing < 1;
      const decoderSeed = runSeed + 1_000_003;
      const embedded = sampling ? [] : (timeSteps(dropout(tf.gather(targetTable, timeMajor), rate, training, decoderSeed)) as tf.Tensor2D[]);
      const hiddens: tf.Tensor2D[] = [];
      const logits: tf.Tensor2D[] = [];
      const weights: tf.Tensor2D[] = [];
      for (let t = 0; t < steps; t++) {
        const stepSeed = decoderSeed + 7919 * (t + 1);
        let x = embedded[t];
        if (x === undefined) {
          let read: tf.Tensor2D;
          if (t === 0) read = tf.gather(targetTable, ids[0]!) as tf.Tensor2D;
          else {
            // Bengio et al. 2015: per row, the true previous token with probability teacherForcing, else the model's own.
            const own = tf.argMax(logits[t - 1]!, 1) as tf.Tensor1D;
            const coin = tf.less(tf.randomUniform([batch], 0, 1, 'float32', stepSeed), teacherForcing);
            // These ids derive from the logits, so autodiff walks back through them: gather's gradient for its indices
            // is int32, which tfjs refuses, while oneHot's is float zeros. One-hot times the table is the same lookup.
            read = tf.matMul(tf.oneHot(tf.where(coin, ids[t]!, own), targetVocabularySize), targetTable);
          }
          x = dropout(read, rate, training, stepSeed);
        }
        const out = decoderStep(x, layers, carried, memory, training, stepSeed);
        layers = out.layers;
        carried = out.carried;
        if (sampling) logits.push(logitsOf(out.hidden, training, stepSeed + 1) as tf.Tensor2D);
        else hiddens.push(out.hidden);
        if (out.weights) weights.push(out.weights);
      }
      const batchMajor = (stepsFirst: tf.Tensor) => tf.transpose(stepsFirst, [1, 0, 2]) as tf.Tensor3D;
      const all = batchMajor(sampling ? tf.stack(logits) : logitsOf(tf.stack(hiddens), training, decoderSeed + 1));
      return { logits: all, ...(weights.length > 0 && { attention: batchMajor(tf.stack(weights)) }) };
    });

  /** The batch's tensors, checked: one row per pair, targets of one shape. */
  const readBatch = (batch: Batch) => {
    const tensors = requireTensors(batch, PAIR_TENSORS, `The translator (${OWNER})`) as Record<(typeof PAIR_TENSORS)[number], tf.Tensor2D>;
    const { source, sourceMask, targetInput, targetOutput, targetMask } = tensors;
    checkSource(source, sourceMask, 'loss');
    for (const [name, t] of [['targetOutput', targetOutput], ['targetMask', targetMask]] as const) {
      if (t.rank !== 2 || t.shape[0] !== targetInput.shape[0] || t.shape[1] !== targetInput.shape[1]) {
        throw new ShapeError(`${OWNER} expects ${name} of targetInput's shape [${targetInput.shape}], got [${t.shape}]. Make batches with sequencePairBatches or padPairs.`);
      }
    }
    if (targetInput.shape[0] !== source.shape[0]) {
      throw new ShapeError(`${OWNER} expects one target row per source row (${source.shape[0]}), got ${targetInput.shape[0]}. Make batches with sequencePairBatches or padPairs.`);
    }
    return tensors;
  };
  const forward = (batch: Batch, options: RunOptions) => {
    const { source, sourceMask, targetInput } = readBatch(batch);
    return decode(encode(source, sourceMask, options), targetInput, options);
  };

  const model: Translator = {
    config,
    vocabularySize: targetVocabularySize,
    weights,
    encode,
    decode,
    loss: (batch: Batch, { training, seed: lossSeed }: LossOptions) =>
      tidy(() => {
        const { targetOutput, targetMask } = readBatch(batch);
        const { logits } = forward(batch, { training, seed: lossSeed ?? 0 });
        // Summed over the real target tokens, with their count as the weight: the trainer divides once.
        return { sum: sparseCrossEntropySum(logits, targetOutput, targetMask), weight: tf.sum(targetMask) as tf.Scalar };
      }),
    metrics: (batch) =>
      tidy(() => {
        const { targetOutput, targetMask } = readBatch(batch);
        const { logits } = forward(batch, { training: false });
        const correct = tf.cast(tf.equal(tf.argMax(logits, 2), tf.cast(targetOutput, 'int32')), 'float32');
        return { accuracy: { sum: tf.sum(tf.mul(correct, targetMask)) as tf.Scalar, weight: tf.sum(targetMask) as tf.Scalar } };
      }),
    initialState: ({ source, sourceMask }) => {
      checkSource(source, sourceMask, 'initialState');
      return tidy(() => {
        const encoded = encoder.encode(source, sourceMask, { training: false, seed: 0 });
        const layers = bridge.initialState(encoded.finalStates);
        return pack(layers, initialCarried(layers), memoryOf(encoded));
      });
    },
    step: (tokens, state) =>
      tidy(() => {
        const { layers, carried, memory } = unpack(state);
        const x = tf.gather(targetTable, tf.cast(tokens, 'int32')) as tf.Tensor2D;
        const out = decoderStep(x, layers, carried, memory, false, 0);
        // The memory passes through as the same tensors: core's decoding frees each tensor once.
        return { logits: logitsOf(out.hidden, false, 0) as tf.Tensor2D, state: pack(out.layers, out.carried, memory), ...(out.weights && { attention: out.weights }) };
      }),
    translate: (sourceIds, options) => translate(model, sourceIds, options),
    dispose: () => tf.dispose(Object.values(weights)),
  };
  return model;
}

function checkSource(source: tf.Tensor, sourceMask: tf.Tensor | undefined, caller: string): void {
  if (source.rank !== 2) throw new ShapeError(`${OWNER} ${caller} expects source ids of shape (batch, S), got shape [${source.shape}].`);
  if (!sourceMask || sourceMask.rank !== 2 || sourceMask.shape[0] !== source.shape[0] || sourceMask.shape[1] !== source.shape[1]) {
    throw new ShapeError(
      `${OWNER} ${caller} expects a sourceMask of the source's shape [${source.shape}], got ${sourceMask ? `[${sourceMask.shape}]` : 'none'}. ` +
        'Give 1 at real positions and 0 at padding (padPairs makes both).',
    );
  }
}
