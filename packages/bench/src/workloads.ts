import * as tf from '@tensorflow/tfjs';
import type { WeightedSum } from '@nnkit/core';
import { CAPTIONER_CONFIG, CAPTIONER_PRESETS, createCaptioner, type CaptionerConfig } from '@nnkit/plugin-captioner';
import { convStack, stackEncoder } from '@nnkit/plugin-cnn-features';
import { createLeNet5 } from '@nnkit/plugin-lenet5';
import { createLstmCell } from '@nnkit/plugin-lstm';
import { createLanguageModel } from '@nnkit/plugin-rnn-lm';
import { TRANSLATOR_CONFIG, createTranslator, type TranslatorConfig } from '@nnkit/plugin-seq2seq-attention';
import { createOptimizer, padPairs } from '@nnkit/train';

/** One benchmark: `setup` builds the model and data, and returns one step and how much work it does. */
export interface Workload {
  readonly name: string;
  readonly unit: string;
  setup(): { step: () => Promise<void>; unitsPerStep: number; dispose: () => void };
}

/** Waits until the backend has finished the work behind `t` (reading one value forces it on every backend). */
async function settle(t: tf.Tensor): Promise<void> {
  await t.data();
  t.dispose();
}

/** n×n by n×n float32 products: 2n³ floating-point operations each. */
export function matMulWorkload(n = 512): Workload {
  return {
    name: `matMul ${n}×${n}`,
    unit: 'GFLOP/s',
    setup() {
      const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
      const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
      return {
        step: () => settle(tf.matMul(a, b)),
        unitsPerStep: (2 * n ** 3) / 1e9,
        dispose: () => tf.dispose([a, b]),
      };
    },
  };
}

/** One optimizer step on `loss` over `variables`, leaving no tensor behind. */
function trainingStep(optimizer: tf.Optimizer, loss: () => tf.Scalar): () => Promise<void> {
  // The per-example (per-token) mean, as @nnkit/train minimizes it: sum / weight.
  return async () => {
    const value = optimizer.minimize(loss, true);
    await settle(value!);
  };
}

/** A model's loss as the trainer minimizes it: its sum over its weight. */
function meanLoss({ sum, weight }: WeightedSum): tf.Scalar {
  return tf.div(sum, weight) as tf.Scalar;
}

/**
 * nnkit's LeNet-5 (`@nnkit/plugin-lenet5`, modern preset: ReLU, max pooling) with Adam: one step on a batch of
 * random digits, as `nnkit recipe lenet5-mnist` trains it.
 */
export function lenet5Workload(batchSize = 64): Workload {
  return {
    name: `LeNet-5 training, batch ${batchSize}`,
    unit: 'images/s',
    setup() {
      const model = createLeNet5({ activation: 'relu', pooling: 'max' }, (label) => label.length);
      const xs = tf.randomUniform([batchSize, 28, 28, 1], 0, 1, 'float32', 3);
      const ys = tf.oneHot(tf.randomUniform([batchSize], 0, 10, 'int32', 4) as tf.Tensor1D, 10);
      const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-3 });
      return {
        step: trainingStep(optimizer, () => meanLoss(model.loss({ inputs: xs, targets: ys }, { training: true }))),
        unitsPerStep: batchSize,
        dispose: () => {
          model.dispose!();
          optimizer.dispose();
          tf.dispose([xs, ys]);
        },
      };
    },
  };
}

const LM_SHAPE = { batchSize: 32, steps: 64, hidden: 256, embedding: 128, vocabulary: 2000 };

/** Random token ids (batch, steps) and their next tokens, for the language-model workloads. */
function tokenBatch({ batchSize, steps, vocabulary } = LM_SHAPE) {
  const tokens = tf.randomUniform([batchSize, steps + 1], 0, vocabulary, 'int32', 5);
  const inputs = tokens.slice([0, 0], [batchSize, steps]);
  const next = tokens.slice([0, 1], [batchSize, steps]);
  tokens.dispose();
  return { inputs, next };
}

/**
 * nnkit's word-level LSTM language model (`lstm/lm`: embedding 128, one LSTM layer of 256 units unrolled over 64
 * steps, softmax over a 2,000-word vocabulary), batch 32, Adam: one training step. Counts tokens (batch × steps).
 */
export function lstmLanguageModelWorkload(shape = LM_SHAPE): Workload {
  return {
    name: `LSTM LM training, batch ${shape.batchSize}, seq ${shape.steps}, hidden ${shape.hidden}`,
    unit: 'tokens/s',
    setup() {
      const config = {
        vocabularySize: shape.vocabulary,
        cell: 'lstm/lstm',
        units: shape.hidden,
        layers: 1,
        embedding: shape.embedding,
        dropout: 0,
        tieWeights: false,
      };
      const model = createLanguageModel(config, createLstmCell, (label) => label.length);
      const { inputs, next } = tokenBatch(shape);
      const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-3 });
      return {
        step: trainingStep(optimizer, () => meanLoss(model.loss({ inputs, targets: next }, { training: true }))),
        unitsPerStep: shape.batchSize * shape.steps,
        dispose: () => {
          model.dispose!();
          optimizer.dispose();
          tf.dispose([inputs, next]);
        },
      };
    },
  };
}

/** The same language model built from tf.layers (embedding, lstm, dense) and trained with tfjs's own Adam, as a tfjs user would: nnkit against plain tfjs. */
export function layersLstmLanguageModelWorkload(shape = LM_SHAPE): Workload {
  return {
    name: `tf.layers LSTM LM training, batch ${shape.batchSize}, seq ${shape.steps}, hidden ${shape.hidden}`,
    unit: 'tokens/s',
    setup() {
      const model = tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: shape.vocabulary, outputDim: shape.embedding, inputLength: shape.steps }),
          tf.layers.lstm({ units: shape.hidden, returnSequences: true }),
          tf.layers.dense({ units: shape.vocabulary }), // on (batch, time, hidden): one matMul over all steps
        ],
      });
      const { inputs, next } = tokenBatch(shape);
      const targets = tf.oneHot(next as tf.Tensor2D, shape.vocabulary);
      const optimizer = tf.train.adam(1e-3);
      const loss = () => tf.losses.softmaxCrossEntropy(targets, model.apply(inputs) as tf.Tensor) as tf.Scalar;
      return {
        step: trainingStep(optimizer, loss),
        unitsPerStep: shape.batchSize * shape.steps,
        dispose: () => {
          model.dispose();
          optimizer.dispose();
          tf.dispose([inputs, next, targets]);
        },
      };
    },
  };
}

const SEQ2SEQ_SHAPE = { batchSize: 64, sourceLength: 20, targetLength: 20, vocabulary: 64, embedding: 64, units: 128 };

/**
 * nnkit's seq2seq/translator as the `bahdanau` preset builds it, scaled to a bench: a bidirectional LSTM encoder of
 * 128 units per direction, Bahdanau attention, an LSTM decoder of 128; batch 64 of 20-token sources and targets
 * over 64 symbols, Adam: one training step. Counts target tokens (the 20 symbols and the end token of each row).
 */
export function seq2seqWorkload(shape = SEQ2SEQ_SHAPE): Workload {
  return {
    name: `seq2seq + attention training, batch ${shape.batchSize}, ${shape.sourceLength} → ${shape.targetLength} tokens, hidden ${shape.units}`,
    unit: 'tokens/s',
    setup() {
      const defaults = Object.fromEntries(
        Object.entries(TRANSLATOR_CONFIG).map(([key, field]) => [key, field.default]),
      ) as Partial<TranslatorConfig>;
      const config = {
        ...defaults,
        sourceVocabularySize: shape.vocabulary,
        targetVocabularySize: shape.vocabulary,
        embedding: shape.embedding,
        units: shape.units,
        bidirectional: true,
        attention: 'bahdanau',
        cell: 'lstm/lstm',
        encoderCell: '',
        decoderCell: '',
      } as TranslatorConfig;
      const model = createTranslator(
        config,
        (_name, options) => createLstmCell(options),
        (label) => label.length,
      );
      const ids = (length: number, seed: number) =>
        Array.from({ length }, (_, i) => 4 + ((i * 7919 + seed * 104729) % (shape.vocabulary - 4)));
      const rows = Array.from({ length: shape.batchSize }, (_, b) => ({
        source: ids(shape.sourceLength, b),
        target: ids(shape.targetLength, b + 1000),
      }));
      const batch = padPairs(rows, { startId: 1, endId: 2 });
      const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-3 });
      return {
        step: trainingStep(optimizer, () => meanLoss(model.loss(batch, { training: true }))),
        unitsPerStep: shape.batchSize * (shape.targetLength + 1),
        dispose: () => {
          model.dispose!();
          optimizer.dispose();
          tf.dispose(Object.values(batch));
        },
      };
    },
  };
}

const CAPTIONER_SHAPE = { batchSize: 64, words: 10, vocabulary: 29 };

/**
 * nnkit's captioner/captioner as the captioning recipe trains it in its full setting (preset `scenes`, soft attention,
 * encoder fine-tuned): cnn-features/conv3 with 5×5 kernels on 56×56 scenes, a 14×14 grid of 64 to attend over, an
 * LSTM decoder of 256, attention of 128, embedding 64, the doubly stochastic penalty; batch 64 of captions of 10
 * words (the longest scene caption) over the scenes' 29 symbols, Adam: one training step. Counts images.
 */
export function captionerWorkload(shape = CAPTIONER_SHAPE): Workload {
  return {
    name: `captioner training, batch ${shape.batchSize}, 56×56 → 14×14 grid, ${shape.words} words, hidden 256`,
    unit: 'images/s',
    setup() {
      const defaults = Object.fromEntries(Object.entries(CAPTIONER_CONFIG).map(([key, field]) => [key, field.default]));
      const config = {
        ...defaults,
        ...CAPTIONER_PRESETS.scenes!.config,
        vocabularySize: shape.vocabulary,
      } as CaptionerConfig;
      const seed = (label: string) => label.length;
      const stack = convStack(
        { inputShape: [56, 56, 1], widths: [16, 32, 64], kernelSize: 5 },
        seed,
        'bench captioner encoder',
        'encoder/',
      );
      const model = createCaptioner(config, stackEncoder(stack, 'conv3'), (_name, options) => createLstmCell(options), seed);
      // <s> w_1 … w_10 in, w_1 … w_10 </s> out: every one of the 11 steps real.
      const steps = shape.words + 1;
      const ids = (b: number) =>
        Array.from({ length: shape.words + 2 }, (_, i) =>
          i === 0 ? 1 : i === shape.words + 1 ? 2 : 4 + ((i * 7919 + b * 104729) % (shape.vocabulary - 4)),
        );
      const rows = Array.from({ length: shape.batchSize }, (_, b) => ids(b));
      const batch = {
        images: tf.randomUniform([shape.batchSize, 56, 56, 1], 0, 1, 'float32', 6),
        targetInput: tf.tensor2d(
          rows.map((row) => row.slice(0, steps)),
          [shape.batchSize, steps],
          'int32',
        ),
        targetOutput: tf.tensor2d(
          rows.map((row) => row.slice(1)),
          [shape.batchSize, steps],
          'int32',
        ),
        targetMask: tf.ones([shape.batchSize, steps]),
      };
      const optimizer = createOptimizer({ name: 'adam', learningRate: 2e-3 });
      return {
        step: trainingStep(optimizer, () => meanLoss(model.loss(batch, { training: true }))),
        unitsPerStep: shape.batchSize,
        dispose: () => {
          model.dispose();
          optimizer.dispose();
          tf.dispose(Object.values(batch));
        },
      };
    },
  };
}
