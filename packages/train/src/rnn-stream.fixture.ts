// A small tanh RNN that predicts the next symbol of a stream, for the bptt tests: s_t = tanh(U x_t + W s_{t−1}),
// ŷ_t = softmax(V s_t). Its input is the one-hot symbol; the targets are class ids.
import * as tf from '@tensorflow/tfjs';
import { mulberry32, type Batch, type Examples, type RecurrentCell, type StreamModel, type WeightedSum } from '@nnkit/core';
import { tidy, trainableVariable, zeroState } from '@nnkit/ops';
import { unroll } from '@nnkit/ops';

export interface RnnStreamOptions {
  /** Every runWindow records the sum of |state| it starts from, to see where the state carried. */
  readonly seen?: { initialStates: number[] };
  /** The training loss becomes NaN from this call of runWindow on (1-based), to test divergence. */
  readonly poisonAtCall?: number;
}

export type RnnStreamModel = StreamModel & { predict(inputs: tf.Tensor): tf.Tensor };

export function rnnStreamModel(seed: number, symbols: number, units: number, options: RnnStreamOptions = {}): RnnStreamModel {
  const init = (shape: number[], s: number, std: number) => trainableVariable(tf.randomNormal(shape, 0, std, 'float32', s));
  const u = init([symbols, units], seed, 0.5); // (symbols, units)
  const w = init([units, units], seed + 1, 0.3); // (units, units)
  const v = init([units, symbols], seed + 2, 0.5); // (units, symbols)
  const cell: RecurrentCell = {
    units,
    stateSizes: [units],
    weights: { 'rnn/input': u, 'rnn/recurrent': w },
    step: (x, [s]) => {
      const next = tf.tanh(tf.add(tf.matMul(x, u), tf.matMul(s!, w))) as tf.Tensor2D;
      return { output: next, state: [next] };
    },
  };
  const weights = { ...cell.weights, 'readout/kernel': v };
  let calls = 0;
  /** outputs: one (streams, units) per step → logits (streams, steps, symbols) */
  const logitsOf = (outputs: tf.Tensor2D[]) =>
    tf.stack(
      outputs.map((o) => tf.matMul(o, v)),
      1,
    );
  const oneHot = (ids: tf.Tensor) => tf.oneHot(tf.cast(ids, 'int32'), symbols);

  function runWindow(batch: Batch, state: readonly tf.Tensor[], { lossSteps, training }: { lossSteps: number; training: boolean }) {
    const { inputs, targets } = batch as { inputs: tf.Tensor2D; targets: tf.Tensor2D };
    options.seen?.initialStates.push(tf.tidy(() => tf.sum(tf.abs(state[0]!)).dataSync()[0]!));
    if (training) calls++;
    const [streams, steps] = inputs.shape;
    const run = unroll(cell, oneHot(inputs) as tf.Tensor3D, state as tf.Tensor2D[]);
    const loss: WeightedSum = tidy(() => {
      const logits = logitsOf(run.outputs.slice(steps - lossSteps)); // (streams, lossSteps, symbols)
      const expected = oneHot(targets.slice([0, steps - lossSteps], [-1, lossSteps]));
      const sum = tf.losses.softmaxCrossEntropy(expected, logits, undefined, undefined, tf.Reduction.SUM) as tf.Scalar;
      const poisoned = options.poisonAtCall !== undefined && training && calls >= options.poisonAtCall;
      return { sum: poisoned ? (tf.mul(sum, NaN) as tf.Scalar) : sum, weight: streams * lossSteps };
    });
    return { loss, states: run.outputs.map((o) => [o]) };
  }

  return {
    weights,
    initialState: (batch) => zeroState(cell, batch),
    runWindow,
    // A batch of (streams, steps) read from the zero state, every step in the loss (for evaluate).
    loss(batch, options) {
      return tidy(() => {
        const inputs = batch.inputs!;
        const { loss } = runWindow(batch, zeroState(cell, inputs.shape[0]!), {
          lossSteps: inputs.shape[1]!,
          training: options.training,
        });
        return loss;
      });
    },
    predict: (inputs) =>
      tf.tidy(() => tf.softmax(logitsOf(unroll(cell, oneHot(inputs) as tf.Tensor3D, zeroState(cell, inputs.shape[0]!)).outputs))),
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
