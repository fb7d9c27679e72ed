// A toy sequence-to-sequence model that learns to reverse digit strings, for the trainer's sequence-pair tests:
// an embedding, a tanh-RNN encoder over the (masked) source whose last real state starts a tanh-RNN decoder with
// teacher forcing (Sutskever et al. 2014, without attention), and a softmax over the 10 digits and the end token
// at every target step. The loss is the cross-entropy summed over targetMask; its weight is the real tokens.
import * as tf from '@tensorflow/tfjs';
import { mulberry32, type Batch, type RecurrentCell, type SequencePair, type TrainableModel } from '@nnkit/core';
import { tidy, trainableVariable, zeroState } from '@nnkit/ops';
import { unroll } from '@nnkit/ops';

/** Ids: the digits 0–9 are themselves; then the end token (also an output class) and the start token (input only). */
export const END = 10;
export const START = 11;
const CLASSES = 11;
const VOCABULARY = 12;

/** `count` random digit strings of 1 … maxLength digits, each paired with its reverse. */
export function reversalPairs(count: number, seed: number, maxLength = 6): SequencePair[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(random() * maxLength);
    const source = Array.from({ length }, () => Math.floor(random() * 10));
    return { source, target: [...source].reverse() };
  });
}

/** s_t = tanh(x_t U + s_{t−1} W + b), written out: the cell under `prefix/`. */
function tanhCell(prefix: string, inputSize: number, units: number, seed: number): RecurrentCell {
  const kernel = trainableVariable(tf.randomNormal([inputSize, units], 0, 1 / Math.sqrt(inputSize), 'float32', seed)); // (in, units)
  const recurrent = trainableVariable(tf.randomNormal([units, units], 0, 1 / Math.sqrt(units), 'float32', seed + 1)); // (units, units)
  const bias = trainableVariable(tf.zeros([units]));
  return {
    units,
    stateSizes: [units],
    weights: { [`${prefix}/kernel`]: kernel, [`${prefix}/recurrent`]: recurrent, [`${prefix}/bias`]: bias },
    step(x, [s]) {
      const next = tf.tanh(tf.add(tf.add(tf.matMul(x, kernel), tf.matMul(s!, recurrent)), bias)) as tf.Tensor2D;
      return { output: next, state: [next] };
    },
  };
}

export function reverser(seed: number, { units = 48, embedding = 16 } = {}): TrainableModel {
  const table = trainableVariable(tf.randomNormal([VOCABULARY, embedding], 0, 0.5, 'float32', seed)); // (vocabulary, embedding)
  const encoder = tanhCell('encoder', embedding, units, seed + 1);
  const decoder = tanhCell('decoder', embedding, units, seed + 3);
  const readout = trainableVariable(tf.randomNormal([units, CLASSES], 0, 1 / Math.sqrt(units), 'float32', seed + 5)); // (units, classes)
  const readoutBias = trainableVariable(tf.zeros([CLASSES]));
  const weights = {
    embedding: table,
    ...encoder.weights,
    ...decoder.weights,
    'readout/kernel': readout,
    'readout/bias': readoutBias,
  };
  return {
    weights,
    loss(batch: Batch) {
      const { source, sourceMask, targetInput, targetOutput, targetMask } = batch as Record<string, tf.Tensor2D>;
      return tidy(() => {
        const embed = (ids: tf.Tensor2D) => tf.gather(table, tf.cast(ids, 'int32')) as tf.Tensor3D; // (batch, time, embedding)
        const encoded = unroll(encoder, embed(source!), zeroState(encoder, source!.shape[0]), { mask: sourceMask! });
        const decoded = unroll(decoder, embed(targetInput!), encoded.state);
        const logits = tf.stack(
          decoded.outputs.map((o) => tf.add(tf.matMul(o, readout), readoutBias)),
          1,
        ); // (batch, T, classes)
        const labels = tf.oneHot(tf.cast(targetOutput!, 'int32'), CLASSES);
        const sum = tf.losses.softmaxCrossEntropy(labels, logits, targetMask!, undefined, tf.Reduction.SUM) as tf.Scalar;
        return { sum, weight: tf.sum(targetMask!) as tf.Scalar };
      });
    },
    dispose: () => tf.dispose(Object.values(weights)),
  };
}
