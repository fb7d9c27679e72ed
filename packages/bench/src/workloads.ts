import * as tf from '@tensorflow/tfjs';
import type { WeightedSum } from '@nnkit/core';
import { createLeNet5 } from '@nnkit/plugin-lenet5';
import { createLstmCell } from '@nnkit/plugin-lstm';
import { createLanguageModel } from '@nnkit/plugin-rnn-lm';

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
      return { step: () => settle(tf.matMul(a, b)), unitsPerStep: (2 * n ** 3) / 1e9, dispose: () => tf.dispose([a, b]) };
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
      const optimizer = tf.train.adam(1e-3);
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
      const config = { vocabularySize: shape.vocabulary, cell: 'lstm/lstm', units: shape.hidden, layers: 1, embedding: shape.embedding, dropout: 0, tieWeights: false };
      const model = createLanguageModel(config, createLstmCell, (label) => label.length);
      const { inputs, next } = tokenBatch(shape);
      const optimizer = tf.train.adam(1e-3);
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

/** The same language model built from tf.layers (embedding, lstm, dense), to compare nnkit's cell with tfjs's own. */
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
