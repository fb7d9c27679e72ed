import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@nnkit/core';
import { zeroState } from '@nnkit/ops';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { checkGradients, unroll } from '@nnkit/ops';
import { expect, it } from 'vitest';
import { createLstmCell } from './lstm-cell.js';

const [batch, steps, inputSize, units] = [3, 5, 4, 6];

/** Our kernel (rows [h; x], columns f, i, C̃, o) as tf.layers.lstm's kernel, recurrent kernel and bias (columns i, f, c, o). */
function asLayersWeights(kernel: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor[] {
  return tf.tidy(() => {
    const reorder = (t: tf.Tensor) => {
      const [f, i, c, o] = tf.split(t, 4, -1);
      return tf.concat([i!, f!, c!, o!], -1);
    };
    const recurrent = kernel.slice([0, 0], [units, 4 * units]);
    const input = kernel.slice([units, 0], [inputSize, 4 * units]);
    return [reorder(input), reorder(recurrent), reorder(bias)];
  });
}

describeEachBackend('lstm/lstm cell', () => {
  it('runs a whole sequence as its steps would: the same outputs, states and gradients (BlockLSTM on the native backend), leaving no tensor behind', async () => {
    const cell = createLstmCell({ inputSize, units, seed: 5 });
    const xs = tf.randomNormal([steps, batch, inputSize], 0, 1, 'float32', 6) as tf.Tensor3D; // time-major
    const start = [
      tf.randomNormal([batch, units], 0, 0.5, 'float32', 7),
      tf.randomNormal([batch, units], 0, 0.5, 'float32', 8),
    ] as tf.Tensor2D[];
    const weights = [cell.kernel, cell.bias];
    // A loss that reads every output and the last cell state, so both of the fused op's gradients are exercised.
    const lossOf = (outputs: tf.Tensor, cells: tf.Tensor) =>
      tf.add(tf.sum(tf.mul(outputs, tf.sin(outputs))), tf.sum(tf.square(cells.slice([steps - 1], [1]))));
    const bySequence = (x: tf.Tensor, h: tf.Tensor, c: tf.Tensor) => {
      const { outputs, states } = cell.sequence!(x as tf.Tensor3D, [h as tf.Tensor2D, c as tf.Tensor2D]);
      return lossOf(outputs, states[1]!) as tf.Scalar;
    };
    const bySteps = (x: tf.Tensor, h: tf.Tensor, c: tf.Tensor) => {
      let state = [h, c] as tf.Tensor2D[];
      const outputs: tf.Tensor[] = [];
      const cells: tf.Tensor[] = [];
      for (const input of tf.unstack(x)) {
        state = cell.step(input as tf.Tensor2D, state).state;
        outputs.push(state[0]!);
        cells.push(state[1]!);
      }
      return lossOf(tf.stack(outputs), tf.stack(cells)) as tf.Scalar;
    };
    const gradients = (f: typeof bySteps) =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => f(xs, start[0]!, start[1]!), weights);
        const inputs = tf.grads(f)([xs, start[0]!, start[1]!]);
        return [value, grads[cell.kernel.name]!, grads[cell.bias.name]!, ...inputs];
      });
    const before = tf.memory().numTensors;
    const fused = gradients(bySequence);
    const stepped = gradients(bySteps);
    for (const [i, tensor] of fused.entries()) expectClose(await tensor.data(), await stepped[i]!.data(), { rtol: 1e-4, atol: 1e-5 });
    tf.dispose([...fused, ...stepped]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => cell.sequence!(tf.zeros([steps, batch, inputSize + 1]) as tf.Tensor3D, start)).toThrow(ShapeError);
    expect(createLstmCell({ inputSize, units, contextSize: 2 }).sequence).toBeUndefined();
    tf.dispose([xs, ...start, ...Object.values(cell.weights)]);
  });

  it('steps as prepareSteps prepares them (LSTMBlockCell on the native backend) as it steps plainly: the same states and gradients, with a context, leaving no tensor behind', async () => {
    const contextSize = 2;
    const cell = createLstmCell({ inputSize, units, seed: 5, contextSize });
    const xs = tf.randomNormal([steps, batch, inputSize], 0, 1, 'float32', 6) as tf.Tensor3D;
    const context = tf.randomNormal([batch, contextSize], 0, 1, 'float32', 9) as tf.Tensor2D;
    const start = [
      tf.randomNormal([batch, units], 0, 0.5, 'float32', 7),
      tf.randomNormal([batch, units], 0, 0.5, 'float32', 8),
    ] as tf.Tensor2D[];
    // Every step's h and C weigh in the loss, each differently, so both of the fused step's gradients are exercised.
    const run = (prepared: boolean) => (x: tf.Tensor, ctx: tf.Tensor, h: tf.Tensor, c: tf.Tensor) => {
      const step = prepared ? cell.prepareSteps!() : cell.step;
      let state = [h, c] as tf.Tensor2D[];
      let loss: tf.Tensor = tf.scalar(0);
      for (const input of tf.unstack(x)) {
        state = step(input as tf.Tensor2D, state, { context: ctx as tf.Tensor2D }).state;
        loss = tf.add(loss, tf.add(tf.sum(tf.mul(state[0]!, tf.sin(state[0]!))), tf.sum(tf.square(state[1]!))));
      }
      return loss as tf.Scalar;
    };
    const gradients = (prepared: boolean) =>
      tf.tidy(() => {
        const f = run(prepared);
        const { value, grads } = tf.variableGrads(() => f(xs, context, start[0]!, start[1]!), [cell.kernel, cell.bias]);
        return [value, grads[cell.kernel.name]!, grads[cell.bias.name]!, ...tf.grads(f)([xs, context, start[0]!, start[1]!])];
      });
    const before = tf.memory().numTensors;
    const fused = gradients(true);
    const plain = gradients(false);
    for (const [i, tensor] of fused.entries()) expectClose(await tensor.data(), await plain[i]!.data(), { rtol: 1e-4, atol: 1e-5 });
    tf.dispose([...fused, ...plain]);
    expect(tf.memory().numTensors).toBe(before);
    // The prepared step refuses what the plain one refuses.
    const first = xs.slice([0], [1]).squeeze([0]) as tf.Tensor2D;
    expect(() => tf.tidy(() => cell.prepareSteps!()(first, start))).toThrow(/expects a context/);
    first.dispose();
    tf.dispose([xs, context, ...start, ...Object.values(cell.weights)]);
  });

  it('equals tf.layers.lstm given the same weights (to 1e-5)', async () => {
    const cell = createLstmCell({ inputSize, units, seed: 1 });
    const xs = tf.randomNormal([batch, steps, inputSize], 0, 1, 'float32', 2) as tf.Tensor3D;
    const layer = tf.layers.lstm({
      units,
      returnSequences: true,
      recurrentActivation: 'sigmoid',
      inputShape: [steps, inputSize],
    });
    const model = tf.sequential({ layers: [layer] });
    const weights = asLayersWeights(cell.kernel as tf.Tensor2D, cell.bias as tf.Tensor1D);
    model.setWeights(weights);
    const expected = model.predict(xs) as tf.Tensor3D;
    const actual = tf.tidy(() => tf.stack(unroll(cell, xs, zeroState(cell, batch)).outputs, 1));
    expectClose(await actual.data(), await expected.data(), { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([xs, expected, actual, ...weights, ...Object.values(cell.weights)]);
    model.dispose();
  });

  it('starts with forget bias 1 and passes a gradient check through time, leaving no tensor behind', async () => {
    const cell = createLstmCell({ inputSize: 2, units: 3, seed: 3 });
    expect(Array.from(await cell.bias.data())).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const xs = tf.randomNormal([2, 4, 2], 0, 1, 'float32', 4) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const loss = (x: tf.Tensor) => {
      const { outputs } = unroll(cell, x as tf.Tensor3D, zeroState(cell, 2));
      return tf.sum(tf.square(outputs.at(-1)!)) as tf.Scalar;
    };
    const result = await checkGradients(loss, [xs]);
    expect(result.mismatches).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([xs, ...Object.values(cell.weights)]);
  });

  it('declares the state it returns (h, then C), names its weights under its name, and leaves nothing behind a step in tidy', async () => {
    const cell = createLstmCell({ inputSize: 2, units: 3, seed: 5 });
    expect(cell.stateSizes).toEqual([3, 3]);
    expect(Object.keys(cell.weights).sort()).toEqual(['lstm/bias', 'lstm/kernel']);
    expect(cell.weights['lstm/kernel']).toBe(cell.kernel);
    const named = createLstmCell({ inputSize: 2, units: 3, name: 'decoder/layer1' });
    expect(Object.keys(named.weights).sort()).toEqual(['decoder/layer1/bias', 'decoder/layer1/kernel']);
    const x = tf.ones([4, 2]) as tf.Tensor2D;
    const state = zeroState(cell, 4);
    const before = tf.memory().numTensors;
    const [shapes, outputIsH] = tf.tidy(() => {
      const next = cell.step(x, state);
      return [next.state.map((s) => s.shape), next.output === next.state[0]];
    });
    expect(shapes).toEqual(cell.stateSizes.map((size) => [4, size]));
    expect(outputIsH).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, ...state, ...Object.values(cell.weights), ...Object.values(named.weights)]);
  });

  it('with contextSize, every gate reads [h_{t−1}, x_t, context], and a missing or unexpected context is refused', async () => {
    // Same seed and the same kernel shape (3 + 5 rows): the cell with a context of 2 is the cell over 5 inputs fed [x, context].
    const withContext = createLstmCell({ inputSize: 3, units: 3, seed: 6, contextSize: 2 });
    const wide = createLstmCell({ inputSize: 5, units: 3, seed: 6 });
    expect(withContext.kernel.shape).toEqual([3 + 3 + 2, 12]);
    const x = tf.randomNormal([2, 3], 0, 1, 'float32', 7) as tf.Tensor2D;
    const context = tf.randomNormal([2, 2], 0, 1, 'float32', 8) as tf.Tensor2D;
    const state = [tf.randomNormal([2, 3], 0, 1, 'float32', 9), tf.randomNormal([2, 3], 0, 1, 'float32', 10)] as tf.Tensor2D[];
    const [actual, expected] = tf.tidy(() => [
      tf.stack(withContext.step(x, state, { context }).state),
      tf.stack(wide.step(tf.concat([x, context], 1), state).state),
    ]);
    expectClose(await actual!.data(), await expected!.data(), { rtol: 1e-6, atol: 1e-6 });
    expect(() => withContext.step(x, state)).toThrow(ShapeError);
    expect(() => withContext.step(x, state)).toThrow(/expects a context of shape \(batch, 2\).*got none/);
    expect(() => wide.step(x, state, { context })).toThrow(/expects no context/);
    tf.dispose([x, context, ...state, actual!, expected!, ...Object.values(withContext.weights), ...Object.values(wide.weights)]);
  });
});
