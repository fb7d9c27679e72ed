import * as tf from '@tensorflow/tfjs';
import { defineModel, field, type RecurrentCell } from '@nnkit/core';
import {
  dense,
  dropout,
  embeddingTable,
  glorotUniform,
  runPaddedSequence,
  sparseCrossEntropySum,
  unroll,
  zeroState,
  zerosVariable,
} from '@nnkit/ops';
import { taggedBatch, type SequenceTagger } from './tagger.js';

/** The recurrent tagger: a SequenceTagger that also shows its hidden states (to project them, or to probe them). */
export interface RecurrentTagger extends SequenceTagger {
  /** (batch, time, units · directions): each word's state, forward and (bidirectional) backward side by side; 0 at padding. */
  states(tokens: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor3D;
}

/**
 * One direction of the tagger: `cell` over the time-major `inputs` (time, batch, features) with the padding masked,
 * its outputs (time, batch, units), exactly 0 at padding. Through the cell's whole-sequence path where it has one
 * (the LSTM's fused kernel), else step by step: the two give the same values.
 */
function runDirection(
  cell: RecurrentCell,
  inputs: tf.Tensor3D,
  mask: tf.Tensor2D,
  reverse: boolean,
  training: boolean,
  seed: number,
): tf.Tensor3D {
  const initial = zeroState(cell, inputs.shape[1]);
  if (cell.sequence) return runPaddedSequence(cell, inputs, initial, { mask, reverse, training, seed }).outputs;
  const { outputs } = unroll(cell, tf.unstack(inputs) as tf.Tensor2D[], initial, { mask, reverse, training, seed });
  return tf.stack(outputs) as tf.Tensor3D;
}

/**
 * A recurrent tagger: each word embedded, a registered recurrent cell (any, by name: `rnn-lm/simple`, `lstm/lstm`, a
 * third party's) run over the sentence with its padding masked, and a dense layer from each word's state to the tag
 * logits. Unidirectional, a word's state has read the sentence up to it: a whole prefix, where an HMM's state is one
 * tag. Bidirectional (Schuster & Paliwal 1997; Graves & Schmidhuber 2005), a second cell reads from the end, and the
 * tag sees both sides. The loss is the cross-entropy summed over real words (padding weighs 0), their count the weight.
 * Weights: `embedding` (vocabulary, embedding), `forward/…` and `backward/…` (the cells'), `output/kernel`, `output/bias`.
 */
export const recurrentTaggerModel = defineModel({
  name: 'rnn-tagger',
  description: 'embedding, a registered recurrent cell (optionally both directions) and a dense layer per word: a tag per word',
  task: 'pos/tagged-sentences',
  config: {
    vocabularySize: field.integer({ min: 2, max: 1_000_000, description: "word ids, <pad> and the word classes included (the corpus's)" }),
    tags: field.integer({ min: 2, max: 1_000, description: "tags (the corpus's tag set)" }),
    cell: field.string({ default: 'lstm/lstm', description: 'the registered recurrent cell (rnn-lm/simple, lstm/lstm, …)' }),
    bidirectional: field.boolean({ default: false, description: 'also run a second cell from the last word back, and tag from both' }),
    embedding: field.integer({ default: 64, min: 1, max: 4_096, description: 'size of a word’s embedding' }),
    units: field.integer({ default: 64, min: 1, max: 4_096, description: 'units of each direction’s cell' }),
    dropout: field.number({ default: 0, min: 0, max: 0.9, description: 'dropout on the embeddings and on the states, while training' }),
  },
  presets: {
    tiny: { description: 'for tests', config: { embedding: 8, units: 8 } },
    bilstm: { description: 'a bidirectional LSTM, 64 units each way', config: { cell: 'lstm/lstm', bidirectional: true } },
  },
  training: {
    dataset: 'datasets/moby-dick-pos',
    datasetOptions: { trainSentences: 2000, heldOutSentences: 200 },
    optimizer: { name: 'adam', learningRate: 0.005 },
    batchSize: 32,
    epochs: 3,
    clipNorm: 5,
  },
  create(config, { kit }): RecurrentTagger {
    const seed = (name: string) => kit.random.derive(`pos/rnn-tagger/${name}`);
    const { vocabularySize, tags, units, bidirectional } = config;
    const embedding = embeddingTable(vocabularySize, config.embedding, seed('embedding'));
    const cellOf = (name: string) => kit.createCell(config.cell, { inputSize: config.embedding, units, seed: seed(name), name });
    const cells = bidirectional ? [cellOf('forward'), cellOf('backward')] : [cellOf('forward')];
    const kernel = glorotUniform(units * cells.length, tags, seed('output'));
    const bias = zerosVariable(tags);
    const weights = Object.assign({ embedding }, ...cells.map((c) => c.weights), { 'output/kernel': kernel, 'output/bias': bias });
    /** (batch, time) ids → (time, batch, units · directions) states, 0 at padding. */
    const run = (tokens: tf.Tensor2D, mask: tf.Tensor2D, training: boolean, stepSeed: number) => {
      const words = dropout(tf.gather(embedding, tokens) as tf.Tensor3D, config.dropout, training, stepSeed); // (batch, time, embedding)
      const timeMajor = tf.transpose(words, [1, 0, 2]) as tf.Tensor3D;
      const directions = cells.map((cell, i) => runDirection(cell, timeMajor, mask, i === 1, training, stepSeed + 1 + i));
      return directions.length === 1 ? directions[0]! : (tf.concat(directions, 2) as tf.Tensor3D);
    };
    /** (batch, time, tags) logits; padded steps give the bias alone, which the mask then drops. */
    const logits = (tokens: tf.Tensor2D, mask: tf.Tensor2D, training: boolean, stepSeed = 0) => {
      const states = dropout(run(tokens, mask, training, stepSeed), config.dropout, training, stepSeed + 3);
      return tf.transpose(dense(states, kernel, bias), [1, 0, 2]) as tf.Tensor3D;
    };
    return {
      weights,
      states: (tokens, mask) => tf.tidy(() => tf.transpose(run(tokens, mask, false, 0), [1, 0, 2]) as tf.Tensor3D),
      tag: (tokens, mask) => tf.tidy(() => tf.mul(tf.argMax(logits(tokens, mask, false), 2), tf.cast(mask, 'int32')) as tf.Tensor2D),
      loss(batch, { training, seed: stepSeed }) {
        const { tokens, mask, tags: gold } = taggedBatch(batch, 'pos/rnn-tagger');
        // Summed over real words; the weight is their count, so the loop's mean is per word.
        return {
          sum: tf.tidy(() => sparseCrossEntropySum(logits(tokens, mask, training, stepSeed), gold, mask)),
          weight: tf.sum(mask) as tf.Scalar,
        };
      },
      metrics(batch) {
        const { tokens, mask, tags: gold } = taggedBatch(batch, 'pos/rnn-tagger');
        const correct = tf.tidy(
          () => tf.sum(tf.mul(tf.cast(tf.equal(tf.argMax(logits(tokens, mask, false), 2), gold), 'float32'), mask)) as tf.Scalar,
        );
        return { accuracy: { sum: correct, weight: tf.sum(mask) as tf.Scalar } };
      },
      dispose: () => tf.dispose(Object.values(weights)),
    };
  },
});
