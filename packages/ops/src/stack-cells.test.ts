import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, type RecurrentCell } from '@nnkit/core';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { expect, it } from 'vitest';
import { deriveSeed } from './derive-seed.js';
import { outputStateOf, stackCells } from './stack-cells.js';
import { zeroState } from './cell-state.js';
import { trainableVariable } from './variables.js';

/**
 * A small cell with state [h, c] (an LSTM's shape without its gates): c' = c + x U (+ context V), h' = tanh(c' + h W).
 * With `sequence`, the same steps over a whole sequence, as the contract asks. The weights are variables so that a
 * test can take gradients with respect to them.
 */
function twoStateCell(name: string, inputSize: number, units: number, seed: number, contextSize = 0): RecurrentCell {
  const u = trainableVariable(tf.randomNormal([inputSize, units], 0, 0.5, 'float32', seed));
  const w = trainableVariable(tf.randomNormal([units, units], 0, 0.5, 'float32', seed + 1));
  const v = contextSize > 0 ? trainableVariable(tf.randomNormal([contextSize, units], 0, 0.5, 'float32', seed + 2)) : undefined;
  const step = (x: tf.Tensor2D, [h, c]: readonly tf.Tensor2D[], context?: tf.Tensor2D) => {
    const fromContext = v && context ? tf.matMul(context, v) : 0;
    const cell = tf.add(tf.add(c!, tf.matMul(x, u)), fromContext) as tf.Tensor2D;
    const hidden = tf.tanh(tf.add(cell, tf.matMul(h!, w))) as tf.Tensor2D;
    return { output: hidden, state: [hidden, cell] };
  };
  return {
    units,
    stateSizes: [units, units],
    weights: { [`${name}/u`]: u, [`${name}/w`]: w, ...(v && { [`${name}/v`]: v }) },
    step: (x, state, options = {}) => tf.tidy(() => step(x, state, options.context)),
    sequence: (inputs, state) =>
      tf.tidy(() => {
        let current = [...state];
        const outputs: tf.Tensor2D[] = [];
        const cells: tf.Tensor2D[] = [];
        for (const x of tf.unstack(inputs) as tf.Tensor2D[]) {
          const next = step(x, current);
          outputs.push(next.output);
          cells.push(next.state[1]!);
          current = next.state;
        }
        const stacked = tf.stack(outputs) as tf.Tensor3D;
        return { outputs: stacked, states: [stacked, tf.stack(cells) as tf.Tensor3D] };
      }),
  };
}

/** A cell whose state is [c, h]: h is not first, and says so with outputState. */
function hLastCell(name: string, inputSize: number, units: number): RecurrentCell {
  const inner = twoStateCell(name, inputSize, units, 7);
  return {
    units,
    stateSizes: [units, units],
    outputState: 1,
    weights: inner.weights,
    step: (x, [c, h], options) => {
      const { output, state } = inner.step(x, [h!, c!], options);
      return { output, state: [state[1]!, state[0]!] };
    },
  };
}

describeEachBackend('stackCells', () => {
  it('steps every layer as a hand-written loop over a flat state does: the same outputs, states and gradients', async () => {
    const layers = [twoStateCell('layer0', 3, 4, 1, 2), twoStateCell('layer1', 4, 5, 11), twoStateCell('layer2', 5, 5, 21)];
    const stack = stackCells(layers);
    expect(stack.units).toBe(5);
    expect(stack.stateSizes).toEqual([4, 4, 5, 5, 5, 5]);
    expect(stack.offsets).toEqual([0, 2, 4]);
    expect(stack.outputState).toBe(4);
    expect(Object.keys(stack.weights)).toEqual(['layer0/u', 'layer0/w', 'layer0/v', 'layer1/u', 'layer1/w', 'layer2/u', 'layer2/w']);
    const x = tf.randomNormal([2, 3], 0, 1, 'float32', 5) as tf.Tensor2D;
    const context = tf.randomNormal([2, 2], 0, 1, 'float32', 6) as tf.Tensor2D;
    const state = stack.stateSizes.map((size, k) => tf.randomNormal([2, size], 0, 1, 'float32', 30 + k) as tf.Tensor2D);
    const before = tf.memory().numTensors;

    // The old way: slice the flat state by each layer's component count, and give the context to the first layer.
    const byHand = () => {
      let input = x;
      let offset = 0;
      const next: tf.Tensor2D[] = [];
      layers.forEach((cell, l) => {
        const result = cell.step(input, state.slice(offset, offset + cell.stateSizes.length), l === 0 ? { context } : {});
        offset += cell.stateSizes.length;
        next.push(...result.state);
        input = result.output;
      });
      return { output: input, state: next };
    };
    const ours = stack.step(x, state, { context });
    const theirs = byHand();
    expectClose(await ours.output.data(), await theirs.output.data(), { rtol: 0, atol: 0 });
    expect(ours.state.length).toBe(6);
    for (let k = 0; k < 6; k++) expectClose(await ours.state[k]!.data(), await theirs.state[k]!.data(), { rtol: 0, atol: 0 });
    // The top layer's h sits at outputState.
    expectClose(await ours.state[stack.outputState!]!.data(), await ours.output.data(), { rtol: 0, atol: 0 });

    const variables = Object.values(stack.weights);
    const loss = (run: () => { output: tf.Tensor2D; state: tf.Tensor2D[] }) => () => {
      const { output, state: next } = run();
      return tf.add(tf.sum(tf.square(output)), tf.sum(next[1]!)) as tf.Scalar;
    };
    const a = tf.variableGrads(
      loss(() => stack.step(x, state, { context })),
      variables,
    );
    const b = tf.variableGrads(loss(byHand), variables);
    expectClose(await a.value.data(), await b.value.data(), { rtol: 1e-6, atol: 0 });
    expect(Object.keys(a.grads).length).toBe(variables.length);
    for (const { name } of variables) expectClose(await a.grads[name]!.data(), await b.grads[name]!.data(), { rtol: 1e-5, atol: 1e-7 });

    tf.dispose([
      ours.output,
      ...ours.state,
      theirs.output,
      ...theirs.state,
      a.value,
      b.value,
      ...Object.values(a.grads),
      ...Object.values(b.grads),
    ]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, context, ...state, ...variables]);
  });

  it('points outputState at the top layer’s h, whichever component it is, and at nothing where the top cell has none', () => {
    const made = [twoStateCell('a', 2, 3, 1), hLastCell('b', 3, 3)];
    expect(outputStateOf(made[1]!)).toBe(1);
    expect(stackCells(made).outputState).toBe(3);
    const noH: RecurrentCell = { ...twoStateCell('c', 3, 3, 2), stateSizes: [6] };
    expect(outputStateOf(noH)).toBeUndefined();
    expect(stackCells([made[0]!, noH]).outputState).toBeUndefined();
    tf.dispose([...made, noH].flatMap((cell) => Object.values(cell.weights)));
  });

  it('drops out between layers only while training, seeded by name, and not above the top layer', async () => {
    const layers = [twoStateCell('layer0', 3, 4, 1), twoStateCell('layer1', 4, 4, 11)];
    const stack = stackCells(layers, { dropout: 0.5 });
    const x = tf.ones([3, 3]) as tf.Tensor2D;
    const state = zeroState(stack, 3);
    const before = tf.memory().numTensors;
    const seed = 99;
    const first = layers[0]!.step(x, state.slice(0, 2));
    const dropped = tf.dropout(first.output, 0.5, undefined, deriveSeed(seed, 'dropout', 0)) as tf.Tensor2D;
    const expected = layers[1]!.step(dropped, state.slice(2, 4));
    const ours = stack.step(x, state, { training: true, seed });
    expectClose(await ours.output.data(), await expected.output.data(), { rtol: 0, atol: 0 });
    const again = stack.step(x, state, { training: true, seed });
    expectClose(await again.output.data(), await ours.output.data(), { rtol: 0, atol: 0 });
    // Not training: no dropout, the plain layers.
    const plain = stack.step(x, state);
    const plainByHand = layers[1]!.step(first.output, state.slice(2, 4));
    expectClose(await plain.output.data(), await plainByHand.output.data(), { rtol: 0, atol: 0 });
    tf.dispose([
      first.output,
      ...first.state,
      dropped,
      expected.output,
      ...expected.state,
      ours.output,
      ...ours.state,
      again.output,
      ...again.state,
      plain.output,
      ...plain.state,
      plainByHand.output,
      ...plainByHand.state,
    ]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, ...state, ...layers.flatMap((cell) => Object.values(cell.weights))]);
  });

  it('runs a whole sequence layer by layer as step by step does, when every layer can', async () => {
    const layers = [twoStateCell('layer0', 3, 4, 1), twoStateCell('layer1', 4, 5, 11)];
    const stack = stackCells(layers);
    const inputs = tf.randomNormal([4, 2, 3], 0, 1, 'float32', 3) as tf.Tensor3D;
    const state = stack.stateSizes.map((size, k) => tf.randomNormal([2, size], 0, 1, 'float32', 40 + k) as tf.Tensor2D);
    const before = tf.memory().numTensors;
    const whole = stack.sequence!(inputs, state);
    const stepped = tf.tidy(() => {
      let current = [...state];
      const outputs: tf.Tensor2D[] = [];
      for (const x of tf.unstack(inputs) as tf.Tensor2D[]) {
        const next = stack.step(x, current);
        outputs.push(next.output);
        current = next.state;
      }
      return { outputs: tf.stack(outputs), last: current };
    });
    expectClose(await whole.outputs.data(), await stepped.outputs.data(), { rtol: 1e-6, atol: 1e-6 });
    expect(whole.states.length).toBe(4);
    for (let k = 0; k < 4; k++) {
      const last = tf.slice(whole.states[k]!, [3, 0, 0], [1, -1, -1]);
      expectClose(await last.data(), await stepped.last[k]!.data(), { rtol: 1e-6, atol: 1e-6 });
      last.dispose();
    }
    tf.dispose([whole.outputs, ...whole.states, stepped.outputs, ...stepped.last]);
    expect(tf.memory().numTensors).toBe(before);
    expect(stackCells([layers[0]!, hLastCell('c', 4, 4)]).sequence).toBeUndefined();
    tf.dispose([inputs, ...state, ...layers.flatMap((cell) => Object.values(cell.weights))]);
  });

  it('refuses no cells, two layers with one weight name and a state of the wrong length, saying how to fix each', () => {
    const cell = twoStateCell('same', 2, 2, 1);
    expect(() => stackCells([])).toThrow(ConfigError);
    expect(() => stackCells([cell, cell])).toThrow(/distinct names, got 'same\/u' in two layers/);
    const stack = stackCells([cell]);
    const x = tf.zeros([1, 2]) as tf.Tensor2D;
    const h = tf.zeros([1, 2]) as tf.Tensor2D;
    expect(() => stack.step(x, [h])).toThrow(ShapeError);
    expect(() => stack.step(x, [h])).toThrow(/expects a state of 2 tensors .* got 1\. Start from zeroState/);
    tf.dispose([x, h, ...Object.values(cell.weights)]);
  });
});
