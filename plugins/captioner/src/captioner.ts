import * as tf from '@tensorflow/tfjs';
import {
  ShapeError,
  type Batch,
  type CellOptions,
  type ImageEncoder,
  type LossOptions,
  type RecurrentCell,
  type WeightMap,
} from '@nnkit/core';
import type { TrainableDecoder } from '@nnkit/decoding';
import {
  createOutputLayer,
  embeddingTable,
  maskedAccuracy,
  requireTensors,
  runTeacherForced,
  sparseCrossEntropySum,
  tidy,
  type TeacherForcedDecoder,
} from '@nnkit/ops';
import { createCaptionDecoder, type CaptionDecoder, type CaptionState } from './caption-decoder.js';
import { caption, type CaptionOptions, type Captions } from './caption.js';
import type { CaptionerConfig } from './config.js';
import { coveragePenalty } from './coverage-penalty.js';
import { createGridAttention, type GridAttention } from './grid-attention.js';
import { createGridReader } from './grid-reader.js';
import { gridOf, type Grid } from './grid.js';
import { createInitialState } from './initial-state.js';

/** What decoding starts from: a batch of images. */
export interface CaptionerContext {
  /** (batch, height, width, channels), the config's image shape. */
  readonly images: tf.Tensor4D;
}

export interface RunOptions {
  /** Dropout only while training. Default false. */
  readonly training?: boolean;
  /** Seeds dropout, so that a resumed run repeats it. Default 0. */
  readonly seed?: number;
}

export interface CaptionerOutput {
  /** (batch, T, vocabularySize) */
  readonly logits: tf.Tensor3D;
  /** (batch, T, L): each word's attention over the grid's L positions; absent with attention 'none'. */
  readonly attention?: tf.Tensor3D;
}

/**
 * A CNN encoder and a recurrent decoder that describes what it sees. A TrainableModel (batches of captioned images:
 * `images`, `targetInput`, `targetOutput`, `targetMask`, as `captionBatches` makes them) and an IncrementalDecoder
 * (@nnkit/decoding's greedyDecode and beamSearch run it; `caption` does both for a batch of images).
 */
export interface Captioner extends TrainableDecoder<CaptionerContext> {
  readonly config: CaptionerConfig;
  readonly encoder: ImageEncoder;
  /** The encoder's positions as rows × columns, and the image square each one sees. */
  readonly grid: Grid;
  /** Runs the decoder over `targetInput` (batch, T) with teacher forcing: logits and attention for every step. */
  run(images: tf.Tensor4D, targetInput: tf.Tensor2D, options?: RunOptions): CaptionerOutput;
  /**
   * The state before the first word: a CaptionState (caption-decoder.ts) by name — the cell's components and, with
   * attention, the annotations — flattened for the IncrementalDecoder contract.
   */
  initialState(context: CaptionerContext): tf.Tensor[];
  /** Captions a batch of images (greedy, or beam search with `beam`), from `<s>` until `</s>`. */
  caption(images: tf.Tensor4D, options?: CaptionOptions): Promise<Captions>;
}

const OWNER = 'captioner/captioner';
const BATCH_TENSORS = ['images', 'targetInput', 'targetOutput', 'targetMask'] as const;

/**
 * The lecture's image captioning: a CNN turns the image into a grid of feature vectors a_1 … a_L, and a recurrent
 * decoder writes the caption word by word (Xu et al. 2015, "Show, Attend and Tell"; without attention, Vinyals et al.
 * 2015's "Show and Tell"). In small modules, each with a straight forward pass:
 *
 *   grid-reader.ts       the encoder's grid as annotations a_1 … a_L (with each position's vector, for attention)
 *   initial-state.ts     h_0, c_0 = tanh(W_init ā + b) (the whole grid without attention)
 *   grid-attention.ts    ẑ_t = β_t Σ α_ti a_i from h_{t−1}
 *   caption-decoder.ts   one word: the cell with context ẑ_t, and the pre-output o_t = tanh(W_h h_t + W_z ẑ_t + b)
 *   output layer         o_t → logits over the vocabulary (@nnkit/ops' createOutputLayer)
 *
 * The encoder is any registered one, asked for by name with the images' shape; its weights are trained with the
 * decoder or, with `freezeEncoder`, kept as they are (trained elsewhere and copied in).
 */
export function createCaptioner(
  config: CaptionerConfig,
  encoder: ImageEncoder,
  createCell: (name: string, options: CellOptions) => RecurrentCell,
  seed: (label: string) => number,
): Captioner {
  const { vocabularySize, embedding, units, attentionUnits, attentionPenalty, dropout: rate } = config;
  const imageShape = [config.imageHeight, config.imageWidth, config.imageChannels];
  const grid = gridOf(encoder, imageShape, config.encoder);
  const { positions, depth } = grid;
  const soft = config.attention === 'soft';
  const cell = createCell(config.cell, {
    inputSize: embedding,
    units,
    seed: seed('decoder'),
    name: 'decoder',
    ...(soft && { contextSize: depth }),
  });
  let attention: GridAttention | undefined;
  let decoder: CaptionDecoder;
  try {
    attention = soft ? createGridAttention({ valueSize: depth, queryUnits: units, units: attentionUnits, seed }) : undefined;
    decoder = createCaptionDecoder({ cell, cellName: config.cell, depth, seed, ...(attention && { attention }) });
  } catch (error) {
    // A refused cell leaves no variable behind.
    tf.dispose([...Object.values(cell.weights), ...Object.values(attention?.weights ?? {})]);
    throw error;
  }
  const reader = createGridReader(encoder, grid, { withPositions: soft });
  const initial = createInitialState(cell.stateSizes, { positions, depth, wholeGrid: !soft, seed });
  const wordTable = embeddingTable(vocabularySize, embedding, seed('embedding'));
  const output = createOutputLayer(units, vocabularySize, rate, seed);
  const own: WeightMap = {
    embedding: wordTable,
    ...reader.weights,
    ...initial.weights,
    ...decoder.weights,
    ...output.weights,
  };
  const weights: WeightMap = { ...encoder.weights, ...own };
  // Its steps and readout come from decoder.prepareRun() in each run.
  const words: Omit<TeacherForcedDecoder<CaptionState>, 'step' | 'readout'> = { table: wordTable, output, dropout: rate };

  const checkImages = (images: tf.Tensor, caller: string) => {
    if (images.rank !== 4 || images.shape.slice(1).some((size, i) => size !== imageShape[i])) {
      throw new ShapeError(
        `${OWNER} ${caller} expects images of shape (batch, ${imageShape.join(', ')}), got [${images.shape}]. Resize or pad them to ${imageShape[0]}×${imageShape[1]}.`,
      );
    }
  };
  /** The state before the first word: the initial cell state and, with attention, the annotations and their keys. */
  const startFrom = (images: tf.Tensor4D): CaptionState => {
    const values = reader.annotate(images);
    return { cell: initial.from(values), ...(attention && { annotations: { values, keys: attention.keys(values) } }) };
  };

  /** The decoder over a whole caption with teacher forcing: every step reads the true previous word. */
  const run: Captioner['run'] = (images, targetInput, { training = false, seed: runSeed = 0 } = {}) =>
    tidy(() => {
      checkImages(images, 'run');
      if (targetInput.rank !== 2 || targetInput.shape[0] !== images.shape[0]) {
        throw new ShapeError(
          `${OWNER} run expects targetInput of shape (${images.shape[0]}, T), one row per image, got [${targetInput.shape}].`,
        );
      }
      // The cell's steps prepared once for the whole caption (the LSTM's fused kernel on the native backend), and o_t
      // made for every step at once.
      return runTeacherForced({ ...words, ...decoder.prepareRun() }, startFrom(images), targetInput, { training, seed: runSeed });
    });

  const readBatch = (batch: Batch) =>
    requireTensors(batch, BATCH_TENSORS, OWNER) as {
      images: tf.Tensor4D;
      targetInput: tf.Tensor2D;
      targetOutput: tf.Tensor2D;
      targetMask: tf.Tensor2D;
    };

  const model: Captioner = {
    config,
    vocabularySize,
    encoder,
    grid,
    weights,
    ...(config.freezeEncoder && { frozen: Object.keys(encoder.weights) }),
    run,
    loss: (batch: Batch, { training, seed: lossSeed }: LossOptions) =>
      tidy(() => {
        const { images, targetInput, targetOutput, targetMask } = readBatch(batch);
        const { logits, attention: alphas } = run(images, targetInput, { training, seed: lossSeed ?? 0 });
        const crossEntropy = sparseCrossEntropySum(logits, targetOutput, targetMask);
        const sum =
          alphas && attentionPenalty > 0
            ? tf.add(crossEntropy, tf.mul(attentionPenalty, coveragePenalty(alphas, targetMask)))
            : crossEntropy;
        return { sum: sum as tf.Scalar, weight: tf.sum(targetMask) as tf.Scalar };
      }),
    metrics: (batch) =>
      tidy(() => {
        const { images, targetInput, targetOutput, targetMask } = readBatch(batch);
        return { accuracy: maskedAccuracy(run(images, targetInput).logits, targetOutput, targetMask) };
      }),
    initialState: ({ images }) => {
      checkImages(images, 'initialState');
      return tidy(() => decoder.flatten(startFrom(images)));
    },
    step: (tokens, flat) =>
      tidy(() => {
        const x = tf.gather(wordTable, tf.cast(tokens, 'int32')) as tf.Tensor2D;
        const step = decoder.step(x, decoder.read(flat));
        // The annotations pass through as the same tensors: the decoding package frees each tensor once.
        return {
          logits: output.logits(step.hidden),
          state: decoder.flatten(step.state),
          ...(step.attention && { attention: step.attention }),
        };
      }),
    caption: async (images, options) => {
      checkImages(images, 'caption');
      return caption(model, images, options);
    },
    dispose: () => {
      tf.dispose(Object.values(own));
      if (encoder.dispose) encoder.dispose();
      else tf.dispose(Object.values(encoder.weights));
    },
  };
  return model;
}
