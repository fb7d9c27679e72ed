import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@nnkit/core';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { expect, it } from 'vitest';
import { runPaddedSequence } from './padded-sequence.js';
import { tanhCell } from './tanh-cell.fixture.js';
import { unroll } from './unroll.js';
import { unstackSteps } from './cell-state.js';
import type { RecurrentCell } from '@nnkit/core';

const [time, inputSize, units] = [5, 3, 4];
// Rows of 5, 2, 0 and 4 real steps: full, short, empty and one step short.
const MASK = [
  [1, 1, 1, 1, 1],
  [1, 1, 0, 0, 0],
  [0, 0, 0, 0, 0],
  [1, 1, 1, 1, 0],
];
const batch = MASK.length;

/** The tanh cell with a whole-sequence path that runs its steps: what any cell's `sequence` promises. */
function withSequence(cell: RecurrentCell): RecurrentCell {
  return {
    ...cell,
    sequence: (inputs, state) => {
      const run = unroll(cell, unstackSteps(inputs, 0) as tf.Tensor2D[], state);
      return { outputs: tf.stack(run.outputs) as tf.Tensor3D, states: [tf.stack(run.outputs) as tf.Tensor3D] };
    },
  };
}

describeEachBackend('runPaddedSequence', () => {
  for (const reverse of [false, true]) {
    it(`gives unroll's masked outputs, final state and gradients${reverse ? ', reversed' : ''}, leaving no tensor behind`, async () => {
      const u = tf.randomNormal([inputSize, units], 0, 0.5, 'float32', 1) as tf.Tensor2D;
      const w = tf.randomNormal([units, units], 0, 0.5, 'float32', 2) as tf.Tensor2D;
      const cell = withSequence(tanhCell(u, w));
      const xs = tf.randomNormal([time, batch, inputSize], 0, 1, 'float32', 4) as tf.Tensor3D; // time-major
      const start = tf.randomNormal([batch, units], 0, 0.5, 'float32', 5) as tf.Tensor2D;
      const mask = tf.tensor2d(MASK);
      // Every output and the final state weigh in the loss, each position differently.
      const lossOf = (outputs: tf.Tensor, state: tf.Tensor) =>
        tf.add(tf.sum(tf.mul(outputs, tf.sin(tf.add(outputs, 1)))), tf.sum(tf.square(state))) as tf.Scalar;
      // The cell's weights are plain tensors (tanh-cell.fixture.ts), so each run makes a cell from the ones it is given.
      const padded = (x: tf.Tensor, s: tf.Tensor, uu: tf.Tensor, ww: tf.Tensor) => {
        const run = runPaddedSequence(withSequence(tanhCell(uu as tf.Tensor2D, ww as tf.Tensor2D)), x as tf.Tensor3D, [s as tf.Tensor2D], {
          mask,
          reverse,
        });
        return lossOf(run.outputs, run.state[0]!);
      };
      const stepped = (x: tf.Tensor, s: tf.Tensor, uu: tf.Tensor, ww: tf.Tensor) => {
        const run = unroll(tanhCell(uu as tf.Tensor2D, ww as tf.Tensor2D), unstackSteps(x, 0) as tf.Tensor2D[], [s as tf.Tensor2D], {
          mask,
          reverse,
        });
        return lossOf(tf.stack(run.outputs), run.state[0]!);
      };
      const everything = (f: typeof padded) => tf.tidy(() => [f(xs, start, u, w), ...tf.grads(f)([xs, start, u, w])]);
      const before = tf.memory().numTensors;
      const fast = everything(padded);
      const slow = everything(stepped);
      for (const [i, tensor] of fast.entries()) expectClose(await tensor.data(), await slow[i]!.data(), { rtol: 1e-5, atol: 1e-6 });
      const run = runPaddedSequence(cell, xs, [start], { mask, reverse });
      const outputs = (await run.outputs.array()) as number[][][];
      // Padding outputs +0 exactly, and the empty row keeps its initial state.
      MASK.forEach((row, b) => row.forEach((real, t) => real || expect(outputs[t]![b]!.every((v) => Object.is(v, 0))).toBe(true)));
      expect(((await run.state[0]!.array()) as number[][])[2]).toEqual(((await start.array()) as number[][])[2]);
      tf.dispose([...fast, ...slow, run.outputs, ...run.state]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([xs, start, mask, u, w]);
    });
  }

  it('refuses a cell without a whole-sequence path, saying to use unroll', () => {
    const weights = [tf.zeros([inputSize, units]), tf.zeros([units, units])] as tf.Tensor2D[];
    const inputs = [tf.zeros([time, batch, inputSize]), tf.zeros([batch, units]), tf.tensor2d(MASK)] as const;
    const run = () =>
      runPaddedSequence(tanhCell(weights[0]!, weights[1]!), inputs[0] as tf.Tensor3D, [inputs[1] as tf.Tensor2D], { mask: inputs[2] });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/Use unroll/);
    tf.dispose([...weights, ...inputs]);
  });
});
