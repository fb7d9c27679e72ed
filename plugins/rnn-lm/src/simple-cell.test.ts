import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@nnkit/core';
import { zeroState } from '@nnkit/ops';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { expectSameAsLayer } from '@nnkit/testing';
import { checkGradients, unroll } from '@nnkit/ops';
import { expect, it } from 'vitest';
import { createSimpleRnnCell } from './simple-cell.js';

describeEachBackend(
  'rnn-lm/simple cell',
  () => {
    it('computes s_t = tanh(U x_t + W s_{t−1} + b) and equals tf.layers.simpleRNN given the same weights', async () => {
      const cell = createSimpleRnnCell({ inputSize: 3, units: 4, seed: 1 });
      await expectSameAsLayer(cell, tf.layers.simpleRNN, [cell.input, cell.recurrent, cell.bias], { batch: 2, steps: 5, inputSize: 3 });
      tf.dispose(Object.values(cell.weights));
    });

    it('starts with an orthogonal W and passes a gradient check, leaving no tensor behind', async () => {
      const cell = createSimpleRnnCell({ inputSize: 2, units: 3, seed: 3 });
      const wwT = tf.tidy(() => tf.matMul(cell.recurrent, cell.recurrent, false, true));
      expectClose(await wwT.data(), [1, 0, 0, 0, 1, 0, 0, 0, 1], { atol: 1e-5 });
      wwT.dispose();
      const xs = tf.randomNormal([2, 6, 2], 0, 1, 'float32', 4) as tf.Tensor3D;
      const before = tf.memory().numTensors;
      const loss = (x: tf.Tensor) => tf.sum(tf.square(unroll(cell, x as tf.Tensor3D, zeroState(cell, 2)).outputs.at(-1)!)) as tf.Scalar;
      expect((await checkGradients(loss, [xs])).mismatches).toEqual([]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([xs, ...Object.values(cell.weights)]);
    });

    it('runs a whole sequence as its steps would: the same outputs and gradients for U, W, b, the inputs and s₀, leaving no tensor behind', async () => {
      const [steps, batch, inputSize, units] = [6, 3, 2, 4];
      const cell = createSimpleRnnCell({ inputSize, units, seed: 5 });
      const xs = tf.randomNormal([steps, batch, inputSize], 0, 1, 'float32', 6) as tf.Tensor3D; // time-major
      const start = tf.randomNormal([batch, units], 0, 0.5, 'float32', 7) as tf.Tensor2D;
      // Every step's output weighs in differently, so each step's δ and the carried one are exercised.
      const lossOf = (outputs: tf.Tensor) => tf.sum(tf.mul(outputs, tf.sin(tf.mul(outputs, 3)))) as tf.Scalar;
      const bySequence = (x: tf.Tensor, s: tf.Tensor) => lossOf(cell.sequence!(x as tf.Tensor3D, [s as tf.Tensor2D]).outputs);
      const bySteps = (x: tf.Tensor, s: tf.Tensor) => {
        let state = [s] as tf.Tensor2D[];
        const outputs = (tf.unstack(x) as tf.Tensor2D[]).map((input) => (state = cell.step(input, state).state)[0]!);
        return lossOf(tf.stack(outputs));
      };
      const gradients = (f: typeof bySteps) =>
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => f(xs, start), [cell.input, cell.recurrent, cell.bias]);
          return [value, grads[cell.input.name]!, grads[cell.recurrent.name]!, grads[cell.bias.name]!, ...tf.grads(f)([xs, start])];
        });
      const before = tf.memory().numTensors;
      const whole = gradients(bySequence);
      const stepped = gradients(bySteps);
      for (const [i, tensor] of whole.entries()) expectClose(await tensor.data(), await stepped[i]!.data(), { rtol: 1e-4, atol: 1e-5 });
      tf.dispose([...whole, ...stepped]);
      expect(tf.memory().numTensors).toBe(before);
      expect(() => cell.sequence!(tf.zeros([steps, batch, inputSize + 1]) as tf.Tensor3D, [start])).toThrow(ShapeError);
      expect(createSimpleRnnCell({ inputSize, units, contextSize: 2 }).sequence).toBeUndefined();
      tf.dispose([xs, start, ...Object.values(cell.weights)]);
    });

    it('declares the state it returns, names its weights under its name, and leaves nothing behind a step in tidy', () => {
      const cell = createSimpleRnnCell({ inputSize: 2, units: 3, seed: 5 });
      expect(cell.stateSizes).toEqual([3]);
      expect(Object.keys(cell.weights).sort()).toEqual(['simple/bias', 'simple/input', 'simple/recurrent']);
      expect(cell.weights['simple/input']).toBe(cell.input);
      const named = createSimpleRnnCell({ inputSize: 2, units: 3, name: 'encoder/layer0' });
      expect(Object.keys(named.weights).sort()).toEqual(['encoder/layer0/bias', 'encoder/layer0/input', 'encoder/layer0/recurrent']);
      const x = tf.ones([4, 2]) as tf.Tensor2D;
      const state = zeroState(cell, 4);
      const before = tf.memory().numTensors;
      const shapes = tf.tidy(() => cell.step(x, state).state.map((s) => s.shape));
      expect(shapes).toEqual(cell.stateSizes.map((size) => [4, size]));
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, ...state, ...Object.values(cell.weights), ...Object.values(named.weights)]);
    });

    it('with contextSize, reads [x_t, context] (U gets the context’s rows), and refuses a missing or unexpected context', async () => {
      // Same seed and the same U shape (5 rows): the cell with a context of 2 is the cell over 5 inputs fed [x, context].
      const withContext = createSimpleRnnCell({ inputSize: 3, units: 4, seed: 6, contextSize: 2 });
      const wide = createSimpleRnnCell({ inputSize: 5, units: 4, seed: 6 });
      expect(withContext.input.shape).toEqual([5, 4]);
      const [x, context, s] = [
        tf.randomNormal([2, 3], 0, 1, 'float32', 7),
        tf.randomNormal([2, 2], 0, 1, 'float32', 8),
        tf.randomNormal([2, 4], 0, 1, 'float32', 9),
      ] as tf.Tensor2D[];
      const [actual, expected] = tf.tidy(() => [
        withContext.step(x!, [s!], { context: context! }).output,
        wide.step(tf.concat([x!, context!], 1), [s!]).output,
      ]);
      expectClose(await actual!.data(), await expected!.data(), { rtol: 1e-6, atol: 1e-6 });
      expect(() => withContext.step(x!, [s!])).toThrow(ShapeError);
      expect(() => withContext.step(x!, [s!])).toThrow(/expects a context of shape \(batch, 2\).*got none/);
      expect(() => withContext.step(x!, [s!], { context: x! })).toThrow(/expects a context of shape \(2, 2\), got shape \[2,3\]/);
      expect(() => wide.step(x!, [s!], { context: context! })).toThrow(ShapeError);
      tf.dispose([x!, context!, s!, actual!, expected!, ...Object.values(withContext.weights), ...Object.values(wide.weights)]);
    });
  },
  { only: ['cpu', 'wasm', 'webgpu'] },
);
