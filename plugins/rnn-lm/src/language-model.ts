import * as tf from '@tensorflow/tfjs';
import {
  ConfigError,
  ShapeError,
  field,
  type Batch,
  type CellOptions,
  type ConfigOf,
  type RecurrentCell,
  type StreamModel,
  type WeightMap,
} from '@nnkit/core';
import type { IncrementalDecoder } from '@nnkit/decoding';
import {
  deriveSeed,
  dropoutField,
  embeddingTable,
  layerSizeField,
  requireTensors,
  sparseCrossEntropySum,
  stackCells,
  tidy,
  trainableVariable,
  uniformVariable,
  unstackSteps,
  zeroState,
} from '@nnkit/ops';

export const LANGUAGE_MODEL_CONFIG = {
  vocabularySize: field.integer({
    min: 2,
    max: 262_144,
    description: "tokens in the vocabulary (the corpus's vocabulary.tokens.length)",
  }),
  cell: field.string({ default: 'rnn-lm/simple', description: 'the registered recurrent cell of every layer' }),
  units: layerSizeField(200, 'hidden units per layer'),
  layers: field.integer({ default: 1, min: 1, max: 16, description: 'stacked recurrent layers' }),
  embedding: field.integer({
    default: 0,
    min: 0,
    max: 8192,
    description: 'embedding size; 0 feeds one-hot vectors, as Mikolov et al. 2010',
  }),
  dropout: dropoutField('dropout on the non-recurrent connections while training (Zaremba et al. 2014)'),
  tieWeights: field.boolean({
    default: false,
    description: 'the output layer reuses the embedding (Press & Wolf 2017); needs embedding = units',
  }),
};

export type LanguageModelConfig = ConfigOf<typeof LANGUAGE_MODEL_CONFIG>;

/**
 * A recurrent language model: tokens in, a distribution over the next token out, at every step. It trains on token
 * streams' batches, whose `inputs` and `targets` are token ids (streams, steps), targets[t] the token after inputs[t]
 * (@nnkit/train's BPTT mode cuts them from `toStreams`' xs and ys). The loss is the lecture's
 * E = −Σ_t y_t log ŷ_t, averaged over tokens (nats per token: exp of it is the perplexity).
 */
export interface LanguageModel extends StreamModel, IncrementalDecoder<number> {
  readonly config: LanguageModelConfig;
  /** The zero state of `batchSize` streams: every layer's components, flattened ([h] per simple layer, [h, c] per LSTM layer). */
  initialState(batchSize: number): tf.Tensor[];
  /** One step for a batch of streams: token ids (batch) and the state → next-token logits (batch, vocabulary) and the next state. */
  step(ids: tf.Tensor1D, state: readonly tf.Tensor[]): { logits: tf.Tensor2D; state: tf.Tensor[] };
  /** Next-token probabilities (streams, steps, vocabulary) for every prefix, from the zero state. */
  predict(xs: tf.Tensor): tf.Tensor3D;
}

/**
 * Mikolov et al. (2010)'s RNN language model, generalized the usual ways: s_t = cell(x_t, s_{t−1}), ŷ_t =
 * softmax(V s_t + b), with x_t the token one-hot (as in the paper) or its embedding, any registered cell
 * (the lecture's simple RNN, an LSTM, a plugin's GRU), stacked layers, dropout between them (never on the
 * recurrent connections, which Zaremba et al. 2014 show hurts) and optionally the output matrix tied to the embedding.
 */
export function createLanguageModel(
  config: LanguageModelConfig,
  createCell: (options: CellOptions) => RecurrentCell,
  seed: (label: string) => number,
): LanguageModel {
  const { vocabularySize, units, layers, embedding, dropout, tieWeights } = config;
  if (tieWeights && embedding !== units) {
    throw new ConfigError(
      `tieWeights expects embedding = units (the output layer reuses the embedding), got embedding ${embedding} and units ${units}. Set embedding to ${units}.`,
      'tieWeights',
    );
  }
  const embeddings = embedding > 0 ? embeddingTable(vocabularySize, embedding, seed('lm/embedding')) : undefined;
  // The layers are one cell (its state every layer's components, bottom first); dropout between them is the stack's.
  const stack = stackCells(
    Array.from({ length: layers }, (_, l) =>
      createCell({
        inputSize: l === 0 ? embedding || vocabularySize : units,
        units,
        seed: seed(`lm/layer${l}`),
        name: `layer${l}`,
      }),
    ),
    { dropout },
  );
  const limit = Math.sqrt(6 / (units + vocabularySize));
  const output = tieWeights ? undefined : uniformVariable([units, vocabularySize], limit, seed('lm/output'));
  const outputBias = trainableVariable(tf.zeros([vocabularySize]));
  const weights: WeightMap = {
    ...(embeddings && { embedding: embeddings }),
    ...stack.weights,
    ...(output && { 'output/kernel': output }),
    'output/bias': outputBias,
  };

  const embed = (ids: tf.Tensor) => {
    const indices = tf.cast(ids, 'int32');
    return embeddings ? tf.gather(embeddings, indices) : tf.oneHot(indices, vocabularySize).toFloat();
  };
  const logitsOf = (hidden: tf.Tensor2D) =>
    (output
      ? tf.add(tf.matMul(hidden, output), outputBias)
      : tf.add(tf.matMul(hidden, embeddings!, false, true), outputBias)) as tf.Tensor2D;
  const drop = (x: tf.Tensor2D, training: boolean, dropSeed: number) =>
    training && dropout > 0 ? (tf.dropout(x, dropout, undefined, dropSeed) as tf.Tensor2D) : x;

  /** One time step through every layer; dropout (seeded by `dropSeed`) only while training. */
  // Dropout (training only) on the input and on the top layer's output; the stack drops between its layers.
  const stepLayers = (x: tf.Tensor2D, state: readonly tf.Tensor[], training: boolean, dropSeed: number) => {
    const { output, state: next } = stack.step(drop(x, training, dropSeed), state as tf.Tensor2D[], {
      training,
      seed: dropSeed,
    });
    return { top: drop(output, training, deriveSeed(dropSeed, 'top')), state: next };
  };

  const runSteps = (xs: tf.Tensor, state: readonly tf.Tensor[], lossSteps: number, training: boolean, windowSeed: number) => {
    const steps = xs.shape[1]!;
    const states: tf.Tensor[][] = [];
    const tops: tf.Tensor2D[] = [];
    let current = [...state];
    (unstackSteps(embed(xs)) as tf.Tensor2D[]).forEach((x, t) => {
      const { top, state: next } = stepLayers(x, current, training, deriveSeed(windowSeed, 'step', t));
      states.push(next);
      if (t >= steps - lossSteps) tops.push(top);
      current = next;
    });
    return { hidden: tf.reshape(tf.stack(tops, 1), [-1, units]) as tf.Tensor2D, states }; // (streams·lossSteps, units)
  };

  // Cells that run a whole sequence at once (the LSTM: BlockLSTM on the native backend) run the window layer by
  // layer instead: the same values and gradients; dropout draws its masks per layer rather than per step.
  const wholeLayers = stack.sequence !== undefined;
  const runLayers = (xs: tf.Tensor, state: readonly tf.Tensor[], lossSteps: number, training: boolean, windowSeed: number) => {
    const steps = xs.shape[1]!;
    const inputs = tf.transpose(embed(xs), [1, 0, 2]) as tf.Tensor3D; // time-major (steps, streams, features)
    const dropped = training && dropout > 0 ? (tf.dropout(inputs, dropout, undefined, windowSeed) as tf.Tensor3D) : inputs;
    const { outputs, states: componentsOverTime } = stack.sequence!(dropped, state as tf.Tensor2D[], {
      training,
      seed: windowSeed,
    });
    const sequence =
      training && dropout > 0 ? (tf.dropout(outputs, dropout, undefined, deriveSeed(windowSeed, 'top')) as tf.Tensor3D) : outputs;
    const perStep = componentsOverTime.map((component) => tf.unstack(component));
    const states = Array.from({ length: steps }, (_, t) => perStep.map((component) => component[t]!));
    const top = tf.transpose(tf.slice(sequence, [steps - lossSteps, 0, 0], [lossSteps, -1, -1]), [1, 0, 2]); // (streams, lossSteps, units)
    return { hidden: tf.reshape(top, [-1, units]) as tf.Tensor2D, states };
  };

  const checkIds = (xs: tf.Tensor, what: string) => {
    if (xs.rank !== 2)
      throw new ShapeError(`the language model's ${what} expects token ids of shape (streams, steps), got shape [${xs.shape}].`);
  };

  const runWindow: LanguageModel['runWindow'] = (batch: Batch, state, { lossSteps, training, seed: windowSeed = 0 }) => {
    const { inputs: xs, targets: ys } = requireTensors(batch, ['inputs', 'targets'], 'The language model');
    checkIds(xs, 'input');
    if (ys.shape[0] !== xs.shape[0] || ys.shape[1] !== xs.shape[1])
      throw new ShapeError(`the language model expects targets of the inputs' shape [${xs.shape}], got [${ys.shape}].`);
    const steps = xs.shape[1]!;
    if (!(Number.isInteger(lossSteps) && lossSteps >= 1 && lossSteps <= steps))
      throw new ShapeError(`runWindow expects 1 ≤ lossSteps ≤ ${steps}, got ${lossSteps}.`);
    const { hidden, states } = wholeLayers
      ? runLayers(xs, state, lossSteps, training, windowSeed)
      : runSteps(xs, state, lossSteps, training, windowSeed);
    const targets = tf.reshape(ys.slice([0, steps - lossSteps], [-1, lossSteps]), [-1]);
    // Summed over the tokens, with their count as the weight: the trainer divides once, so a mean is per token.
    const sum = sparseCrossEntropySum(logitsOf(hidden), targets);
    return { loss: { sum, weight: targets.size }, states };
  };

  const initialState = (batch: number) => zeroState(stack, batch);
  return {
    config,
    vocabularySize,
    weights,
    initialState,
    runWindow,
    loss: (batch, { training, seed: lossSeed }) =>
      tidy(() => {
        const streams = batch.inputs?.shape[0] ?? 0;
        return runWindow(batch, initialState(streams), {
          lossSteps: batch.inputs?.shape[1] ?? 0,
          training,
          ...(lossSeed !== undefined && { seed: lossSeed }),
        }).loss;
      }),
    step: (ids, state) =>
      tidy(() => {
        const { top, state: next } = stepLayers(embed(ids) as tf.Tensor2D, state, false, 0);
        return { logits: logitsOf(top), state: next };
      }),
    predict: (xs) =>
      tf.tidy(() => {
        checkIds(xs, 'predict');
        let state: tf.Tensor[] = initialState(xs.shape[0]!);
        const probabilities = (unstackSteps(embed(xs)) as tf.Tensor2D[]).map((x) => {
          const next = stepLayers(x, state, false, 0);
          state = next.state;
          return tf.softmax(logitsOf(next.top));
        });
        return tf.stack(probabilities, 1) as tf.Tensor3D;
      }),
    dispose: () => tf.dispose(Object.values(weights)),
  };
}
