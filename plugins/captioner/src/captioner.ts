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
  trainableVariable,
  zerosVariable,
  type Batch,
  type CellOptions,
  type DecoderState,
  type ImageEncoder,
  type IncrementalDecoder,
  type LossOptions,
  type RecurrentCell,
  type TrainableModel,
  type WeightMap,
  type WeightedSum,
} from '@nnkit/core';
import { sparseCrossEntropySum } from '@nnkit/ops';
import { caption, type CaptionOptions, type Captions } from './caption.js';
import type { CaptionerConfig } from './config.js';
import { createGridAttention, type Annotations } from './grid-attention.js';
import { gridOf, positionEncoding, type Grid } from './grid.js';

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
 * (core's greedyDecode and beamSearch run it; `caption` does both for a batch of images).
 */
export interface Captioner extends TrainableModel, IncrementalDecoder<CaptionerContext> {
  readonly config: CaptionerConfig;
  readonly vocabularySize: number;
  readonly encoder: ImageEncoder;
  /** The encoder's positions as rows × columns, and the image square each one sees. */
  readonly grid: Grid;
  /** Runs the decoder over `targetInput` (batch, T) with teacher forcing: logits and attention for every step. */
  run(images: tf.Tensor4D, targetInput: tf.Tensor2D, options?: RunOptions): CaptionerOutput;
  /**
   * The state before the first word, every tensor batch-major (so core's default gather reorders it for beams): the
   * cell's state components, then, with attention, the grid's values and keys.
   */
  initialState(context: CaptionerContext): tf.Tensor[];
  step(tokens: tf.Tensor1D, state: DecoderState): { logits: tf.Tensor2D; state: tf.Tensor[]; attention?: tf.Tensor2D };
  /** Captions a batch of images (greedy, or beam search with `beam`), from `<s>` until `</s>`. */
  caption(images: tf.Tensor4D, options?: CaptionOptions): Promise<Captions>;
  /** Word accuracy under teacher forcing: correct real caption tokens over the real caption tokens. */
  metrics(batch: Batch): Record<string, WeightedSum>;
  dispose(): void;
}

const OWNER = 'captioner/captioner';
const BATCH_TENSORS = ['images', 'targetInput', 'targetOutput', 'targetMask'] as const;

/**
 * The lecture's image captioning: a CNN turns the image into a grid of feature vectors a_1 … a_L, and a recurrent
 * decoder writes the caption word by word (Xu et al. 2015, "Show, Attend and Tell"):
 *
 *   soft   h_0, c_0 = tanh(W_init ā + b) (ā the mean of the a_i); ẑ_t = attend(a, h_{t−1});
 *          h_t = cell(E y_{t−1}, state_{t−1}, context ẑ_t); o_t = tanh(W_h h_t + W_z ẑ_t + b); logits = W_o o_t + b_o
 *   none   h_0, c_0 = tanh(W_init [a_1 … a_L] + b) (the whole grid, once: Vinyals et al. 2015's "Show and Tell");
 *          h_t = cell(E y_{t−1}, state_{t−1}); o_t = tanh(W_h h_t + b); logits = W_o o_t + b_o
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
  const cell = createCell(config.cell, { inputSize: embedding, units, seed: seed('decoder'), name: 'decoder', ...(soft && { contextSize: depth }) });
  if (cell.stateSizes[0] !== units) {
    tf.dispose(Object.values(cell.weights));
    throw new ConfigError(
      `${OWNER} expects the decoder cell's first state component to be its output h (size ${units}), got '${config.cell}' with stateSizes ` +
        `[${cell.stateSizes.join(', ')}]. Use a cell whose state starts with h (lstm/lstm, gru/gru, rnn-lm/simple).`,
      'cell',
    );
  }
  const attention = soft ? createGridAttention({ valueSize: depth, queryUnits: units, units: attentionUnits, seed }) : undefined;
  // A soft-attention context says what the attended positions hold but not where they are, and a caption that says
  // "top left" or "left of" needs both: each position gets a vector added to its features, starting from a 2-D
  // sine–cosine code of its place and trained with the rest. Without attention the whole grid is read in order,
  // which already tells where.
  const whereTable = soft ? trainableVariable(tf.tensor2d(positionEncoding(grid), [positions, depth])) : undefined;
  // The initial state reads the mean annotation with attention, the whole grid without (else it could not tell where).
  const initialInput = soft ? depth : positions * depth;
  const initKernels = cell.stateSizes.map((size, k) => glorot(initialInput, size, seed(`init/${k}`)));
  const initBiases = cell.stateSizes.map((size) => zerosVariable(size));
  const wordTable = embeddingTable(vocabularySize, embedding, seed('embedding'));
  const hiddenKernel = glorot(units, units, seed('output/hidden'));
  const contextKernel = soft ? glorot(depth, units, seed('output/context')) : undefined;
  const hiddenBias = zerosVariable(units);
  const outputKernel = glorot(units, vocabularySize, seed('output'));
  const outputBias = zerosVariable(vocabularySize);
  const own: WeightMap = {
    'embedding': wordTable,
    ...(whereTable && { 'attention/position': whereTable }),
    ...Object.fromEntries(initKernels.flatMap((kernel, k) => [[`init/${k}/kernel`, kernel], [`init/${k}/bias`, initBiases[k]!]])),
    ...cell.weights,
    ...attention?.weights,
    'output/hidden/kernel': hiddenKernel,
    ...(contextKernel && { 'output/context/kernel': contextKernel }),
    'output/hidden/bias': hiddenBias,
    'output/kernel': outputKernel,
    'output/bias': outputBias,
  };
  const weights: WeightMap = { ...encoder.weights, ...own };
  const components = cell.stateSizes.length;

  const checkImages = (images: tf.Tensor, caller: string) => {
    if (images.rank !== 4 || images.shape.slice(1).some((size, i) => size !== imageShape[i])) {
      throw new ShapeError(`${OWNER} ${caller} expects images of shape (batch, ${imageShape.join(', ')}), got [${images.shape}]. Resize or pad them to ${imageShape[0]}×${imageShape[1]}.`);
    }
  };
  /** The encoder's output as (batch, L, D): a grid flattened row by row, a vector as one position. */
  const annotate = (images: tf.Tensor4D): tf.Tensor3D => {
    const grid = tf.reshape(encoder.encode(images), [images.shape[0], positions, depth]) as tf.Tensor3D;
    return whereTable ? tf.add(grid, whereTable) : grid;
  };
  const initialLayers = (values: tf.Tensor3D): tf.Tensor2D[] => {
    const summary = soft ? tf.mean(values, 1) : tf.reshape(values, [values.shape[0], positions * depth]);
    return initKernels.map((kernel, k) => tf.tanh(dense(summary, kernel, initBiases[k])) as tf.Tensor2D);
  };
  const annotationsOf = (values: tf.Tensor3D): Annotations | undefined => attention && { values, keys: attention.keys(values) };

  /** One word: attend from h_{t−1}, step the cell, and the pre-output o_t. */
  const decoderStep = (x: tf.Tensor2D, layers: readonly tf.Tensor2D[], annotations: Annotations | undefined, training: boolean, stepSeed: number) => {
    const attended = annotations && attention!.attend(layers[0]!, annotations);
    const { output, state } = cell.step(x, layers, { training, seed: stepSeed, ...(attended && { context: attended.context }) });
    const mixed = tf.add(dense(output, hiddenKernel, hiddenBias), attended ? tf.matMul(attended.context, contextKernel!) : 0);
    return { hidden: tf.tanh(mixed) as tf.Tensor2D, layers: state, weights: attended?.weights };
  };

  const run: Captioner['run'] = (images, targetInput, { training = false, seed: runSeed = 0 } = {}) =>
    tidy(() => {
      checkImages(images, 'run');
      if (targetInput.rank !== 2 || targetInput.shape[0] !== images.shape[0]) {
        throw new ShapeError(`${OWNER} run expects targetInput of shape (${images.shape[0]}, T), one row per image, got [${targetInput.shape}].`);
      }
      const values = annotate(images);
      const annotations = annotationsOf(values);
      let layers = initialLayers(values);
      const words = timeSteps(dropout(tf.gather(wordTable, tf.transpose(tf.cast(targetInput, 'int32'))), rate, training, runSeed + 17)) as tf.Tensor2D[];
      const hiddens: tf.Tensor2D[] = [];
      const alphas: tf.Tensor2D[] = [];
      words.forEach((x, t) => {
        const out = decoderStep(x, layers, annotations, training, runSeed + 7919 * (t + 1));
        layers = out.layers;
        hiddens.push(out.hidden);
        if (out.weights) alphas.push(out.weights);
      });
      const hidden = dropout(tf.stack(hiddens, 1), rate, training, runSeed + 31); // (batch, T, units)
      return {
        logits: dense(hidden, outputKernel, outputBias) as tf.Tensor3D,
        ...(alphas.length > 0 && { attention: tf.stack(alphas, 1) as tf.Tensor3D }),
      };
    });

  const readBatch = (batch: Batch) => requireTensors(batch, BATCH_TENSORS, OWNER) as { images: tf.Tensor4D; targetInput: tf.Tensor2D; targetOutput: tf.Tensor2D; targetMask: tf.Tensor2D };

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
        const sum = alphas && attentionPenalty > 0 ? tf.add(crossEntropy, tf.mul(attentionPenalty, coveragePenalty(alphas, targetMask))) : crossEntropy;
        return { sum: sum as tf.Scalar, weight: tf.sum(targetMask) as tf.Scalar };
      }),
    metrics: (batch) =>
      tidy(() => {
        const { images, targetInput, targetOutput, targetMask } = readBatch(batch);
        const { logits } = run(images, targetInput);
        const correct = tf.cast(tf.equal(tf.argMax(logits, 2), tf.cast(targetOutput, 'int32')), 'float32');
        return { accuracy: { sum: tf.sum(tf.mul(correct, targetMask)) as tf.Scalar, weight: tf.sum(targetMask) as tf.Scalar } };
      }),
    initialState: ({ images }) => {
      checkImages(images, 'initialState');
      return tidy(() => {
        const values = annotate(images);
        const annotations = annotationsOf(values);
        return [...initialLayers(values), ...(annotations ? [annotations.values, annotations.keys] : [])];
      });
    },
    step: (tokens, state) =>
      tidy(() => {
        const expected = components + (soft ? 2 : 0);
        if (state.length !== expected) {
          throw new ShapeError(`${OWNER} step expects a state of ${expected} tensors (as initialState makes), got ${state.length}. Start from model.initialState({ images }).`);
        }
        const layers = state.slice(0, components) as tf.Tensor2D[];
        const annotations = soft ? { values: state[components] as tf.Tensor3D, keys: state[components + 1] as tf.Tensor3D } : undefined;
        const out = decoderStep(tf.gather(wordTable, tf.cast(tokens, 'int32')) as tf.Tensor2D, layers, annotations, false, 0);
        // The annotations pass through as the same tensors: core's decoding frees each tensor once.
        return {
          logits: dense(out.hidden, outputKernel, outputBias) as tf.Tensor2D,
          state: [...out.layers, ...(annotations ? [annotations.values, annotations.keys] : [])],
          ...(out.weights && { attention: out.weights }),
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

/**
 * Xu et al.'s doubly stochastic regularization Σ_i (1 − Σ_t α_ti)², summed over the batch, written as Σ_i S_i² −
 * T²/L with S_i = Σ_t α_ti over the T real words: since Σ_i S_i = T, the two differ by a constant, so the gradient is
 * the paper's while the value is 0 when the caption's attention covers every position evenly (and the loss shown in
 * progress stays a cross-entropy, not L per image above it).
 */
function coveragePenalty(alphas: tf.Tensor3D, mask: tf.Tensor2D): tf.Scalar {
  const positions = alphas.shape[2];
  const coverage = tf.sum(tf.mul(alphas, tf.expandDims(mask, 2)), 1); // (batch, L)
  const words = tf.sum(mask, 1); // (batch)
  return tf.sum(tf.sub(tf.sum(tf.square(coverage), 1), tf.div(tf.square(words), positions))) as tf.Scalar;
}
