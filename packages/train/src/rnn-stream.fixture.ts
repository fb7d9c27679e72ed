// A small tanh RNN that predicts the next symbol of a stream, for the bptt tests: s_t = tanh(U x_t + W s_{t−1}),
// ŷ_t = softmax(V s_t). Its input is the one-hot symbol; the targets are class ids.
import * as tf from '@tensorflow/tfjs';
import { mulberry32, trainableVariable, type Examples, type StreamModel } from '@nnkit/core';
import { unroll } from '@nnkit/ops';

export function rnnStreamModel(seed: number, symbols: number, units: number, seen: { initialStates: number[] } = { initialStates: [] }): StreamModel {
  const init = (shape: number[], s: number, std: number) => trainableVariable(tf.randomNormal(shape, 0, std, 'float32', s));
  const u = init([symbols, units], seed, 0.5);
  const w = init([units, units], seed + 1, 0.3);
  const v = init([units, symbols], seed + 2, 0.5);
  const cell = {
    units,
    trainableWeights: [u, w],
    initialState: (batch: number) => [tf.zeros([batch, units]) as tf.Tensor2D],
    step: (x: tf.Tensor2D, [s]: readonly tf.Tensor2D[]) => {
      const next = tf.tanh(tf.add(tf.matMul(x, u), tf.matMul(s!, w))) as tf.Tensor2D;
      return { output: next, state: [next] };
    },
  };
  const logitsOf = (outputs: tf.Tensor2D[]) => tf.stack(outputs.map((o) => tf.matMul(o, v)), 1);
  return {
    trainableWeights: [u, w, v],
    initialState: (batch) => cell.initialState(batch),
    runWindow(xs, ys, state, { lossSteps }) {
      seen.initialStates.push(tf.tidy(() => tf.sum(tf.abs(state[0]!)).dataSync()[0]!));
      const steps = xs.shape[1]!;
      const inputs = tf.oneHot(tf.cast(xs, 'int32'), symbols) as tf.Tensor3D;
      const run = unroll(cell, inputs, state as tf.Tensor2D[]);
      const logits = logitsOf(run.outputs.slice(steps - lossSteps));
      const targets = tf.oneHot(tf.cast(ys.slice([0, steps - lossSteps], [-1, lossSteps]), 'int32'), symbols);
      return { loss: tf.losses.softmaxCrossEntropy(targets, logits) as tf.Scalar, states: run.outputs.map((o) => [o]) };
    },
    loss: () => {
      throw new Error('rnnStreamModel trains with trainStream only');
    },
    predict: (xs) => tf.tidy(() => tf.softmax(logitsOf(unroll(cell, tf.oneHot(tf.cast(xs, 'int32'), symbols) as tf.Tensor3D, cell.initialState(xs.shape[0]!)).outputs))),
    dispose: () => tf.dispose([u, w, v]),
  };
}

/** Random bits; the target at step t is the bit read `delay` steps earlier (0 before that). */
export function delayedCopyStream(streams: number, length: number, delay: number, seed: number): Examples {
  const random = mulberry32(seed);
  const bits = Array.from({ length: streams * length }, () => (random() < 0.5 ? 0 : 1));
  const targets = bits.map((_, i) => (i % length >= delay ? bits[i - delay]! : 0));
  return { xs: tf.tensor2d(bits, [streams, length]), ys: tf.tensor2d(targets, [streams, length]) };
}
