import * as tf from '@tensorflow/tfjs';
import { defineModel, field, type WeightMap } from '@nnkit/core';
import { trainableVariable } from '@nnkit/ops';
import { countHmm, splitTransitions, viterbi, type Hmm } from './hmm.js';
import { taggedBatch, type SequenceTagger } from './tagger.js';
import type { EncodedSentence } from './vocabulary.js';

/** The HMM tagger: a SequenceTagger whose parameters can also be set at once from counts. */
export interface HmmTagger extends SequenceTagger {
  /** Sets the weights to the smoothed relative frequencies of `sentences` (the closed-form estimate; instant). */
  fit(sentences: readonly EncodedSentence[]): void;
  /** The model as plain log-probabilities (for Viterbi, or to show its transition matrix). */
  hmm(): Hmm;
}

/** tf.logSoftmax over each row of a (rows, columns) table, as plain numbers. */
function logRows(table: tf.Variable): Float32Array {
  return tf.tidy(() => tf.logSoftmax(table, 1).dataSync() as Float32Array);
}

/**
 * A hidden Markov model tagger (the lecture's slide: the hidden state S_t a POS tag, the observation O_t a word).
 * Weights: `transitions` ((tags + 1) × (tags + 1); row `tags` the start, column `tags` the end) and `emissions`
 * (tags × vocabulary), each row unnormalized log-probabilities (a softmax gives the distribution). The task's
 * vocabulary reads rare and unseen words as word classes (`<unk:-ing>`), so the emissions of a class are its unknown-word model.
 *
 * Two ways to train it, to the same kind of optimum: `fit()` counts (relative frequencies with add-k
 * pseudo-counts, countHmm: what the recipe uses), or the one training loop (`nnkit train pos/hmm`) minimizes its loss, the
 * negative log joint likelihood −log p(tags, words) per word, by gradient descent. Decoding is Viterbi in log space.
 */
export const hmmModel = defineModel({
  name: 'hmm',
  description: 'a hidden Markov model tagger: tag bigram transitions, smoothed word emissions with word classes for unseen words, Viterbi',
  task: 'pos/tagged-sentences',
  config: {
    vocabularySize: field.integer({ min: 2, max: 1_000_000, description: "word ids, <pad> and the word classes included (the corpus's)" }),
    tags: field.integer({ min: 2, max: 1_000, description: "tags (the corpus's tag set)" }),
    transitionSmoothing: field.number({
      default: 0.1,
      min: 1e-9,
      max: 100,
      description: 'add-k for tag transitions, when fitted by counting',
    }),
    emissionSmoothing: field.number({
      default: 0.01,
      min: 1e-9,
      max: 100,
      description: 'add-k for word emissions, when fitted by counting',
    }),
  },
  training: {
    dataset: 'datasets/moby-dick-pos',
    datasetOptions: { trainSentences: 2000, heldOutSentences: 200 },
    optimizer: { name: 'adam', learningRate: 0.1 },
    epochs: 5,
  },
  create(config): HmmTagger {
    const { tags, vocabularySize } = config;
    const transitions = trainableVariable(tf.zeros([tags + 1, tags + 1]));
    const emissions = trainableVariable(tf.zeros([tags, vocabularySize]));
    const weights: WeightMap = { transitions, emissions };
    const hmm = () => splitTransitions(logRows(transitions), tags, logRows(emissions), vocabularySize);
    const tag = (tokens: tf.Tensor2D, mask: tf.Tensor2D) => {
      const model = hmm();
      const [ids, real] = [tokens.arraySync(), mask.arraySync()];
      const decoded = ids.map((row, b) => {
        const length = real[b]!.filter((m) => m !== 0).length;
        const path = viterbi(model, row.slice(0, length)).states;
        return [...path, ...new Array<number>(row.length - length).fill(0)];
      });
      return tf.tensor2d(decoded, tokens.shape, 'int32');
    };
    return {
      weights,
      tag,
      hmm,
      fit(sentences) {
        const counted = countHmm(
          sentences.map((s) => ({ symbols: s.tokens, states: s.tags })),
          { states: tags, symbols: vocabularySize, ...config },
        );
        // Back into the weights' layout: the table's row `tags` is the start, its column `tags` the end.
        const table = new Float32Array((tags + 1) * (tags + 1));
        for (let i = 0; i < tags; i++) {
          for (let j = 0; j < tags; j++) table[i * (tags + 1) + j] = counted.logTransition[i * tags + j]!;
          table[i * (tags + 1) + tags] = counted.logEnd[i]!;
          table[tags * (tags + 1) + i] = counted.logStart[i]!;
        }
        table[tags * (tags + 1) + tags] = -Infinity; // start → end: a sentence has a word
        tf.tidy(() => {
          transitions.assign(tf.tensor2d(table, [tags + 1, tags + 1]));
          emissions.assign(tf.tensor2d(Float32Array.from(counted.logEmission), [tags, vocabularySize]));
        });
      },
      loss(batch) {
        const { tokens, mask, tags: gold } = taggedBatch(batch, 'pos/hmm');
        const sum = tf.tidy(() => {
          const [rows, time] = tokens.shape;
          const flat = (table: tf.Tensor) => tf.reshape(tf.logSoftmax(table, 1), [-1]);
          const at = (table: tf.Tensor, index: tf.Tensor) => tf.reshape(tf.gather(table, tf.reshape(index, [-1])), [rows, time]);
          // Row-major indices into a flattened table, in int32 (a JS number would make them float32).
          const cell = (row: tf.Tensor, width: number, column: tf.Tensor | number) =>
            tf.add(tf.mul(row, tf.scalar(width, 'int32')), typeof column === 'number' ? tf.scalar(column, 'int32') : column);
          const [logA, logB] = [flat(transitions), flat(emissions)];
          const [words, tagIds, real] = [tf.cast(tokens, 'int32'), tf.cast(gold, 'int32'), tf.cast(mask, 'float32')];
          // The tag before each word: the start state before the first.
          const previous = tf.concat([tf.fill([rows, 1], tags, 'int32'), tf.slice(tagIds, [0, 0], [rows, time - 1])], 1);
          const transition = at(logA, cell(previous, tags + 1, tagIds));
          const emission = at(logB, cell(tagIds, vocabularySize, words));
          // A sentence's last word (real, the next one padding) also pays for the transition to the end.
          const last = tf.sub(real, tf.concat([tf.slice(real, [0, 1], [rows, time - 1]), tf.zeros([rows, 1])], 1));
          const end = at(logA, cell(tagIds, tags + 1, tags));
          return tf.neg(tf.add(tf.sum(tf.mul(real, tf.add(transition, emission))), tf.sum(tf.mul(last, end)))) as tf.Scalar;
        });
        return { sum, weight: tf.sum(mask) as tf.Scalar };
      },
      metrics(batch) {
        const { tokens, mask, tags: gold } = taggedBatch(batch, 'pos/hmm');
        const predicted = tag(tokens, mask);
        const correct = tf.tidy(() => tf.sum(tf.mul(tf.cast(tf.equal(predicted, gold), 'float32'), mask)) as tf.Scalar);
        predicted.dispose();
        return { accuracy: { sum: correct, weight: tf.sum(mask) as tf.Scalar } };
      },
      dispose: () => tf.dispose([transitions, emissions]),
    };
  },
});
