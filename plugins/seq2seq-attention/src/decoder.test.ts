import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, type Kit, type RecurrentCell } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import { expectClose } from '@nnkit/core/testing';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAttention, type Memory } from './attention.js';
import { createDecoder, decoderContextSize } from './decoder.js';
import { flattenState, readState } from './decoder-state.js';

let kit: Kit;
beforeAll(async () => {
  await tf.setBackend('cpu');
  kit = await createKit({ backend: 'cpu', progress: silentProgress(), plugins: [rnnLm(), lstm()] });
});

const units = 4;
const seed = (label: string) => label.length * 13 + 1;
const lstmCells = (layers: number, contextSize: number) =>
  Array.from({ length: layers }, (_, l) =>
    kit.createCell('lstm/lstm', {
      inputSize: l === 0 ? 3 : units,
      units,
      seed: 5 + l,
      name: `decoder/layer${l}`,
      ...(l === 0 && contextSize > 0 && { contextSize }),
    }),
  );

/** A memory of 2 sources of 3 positions, the second padded after 2. */
function memoryFor(attention: ReturnType<typeof createAttention>): Memory {
  const values = tf.randomNormal([2, 3, units], 0, 1, 'float32', 9) as tf.Tensor3D;
  return {
    values,
    keys: attention.keys(values),
    mask: tf.tensor2d([
      [1, 1, 1],
      [1, 1, 0],
    ]),
  };
}

describe('the decoder step', () => {
  it("is Bahdanau's step written out: attend from s_{t−1}, the cells with context c_t, h̃ = tanh(W_c [c_t; h_t]), values and gradients", async () => {
    const attention = createAttention('bahdanau', { valueSize: units, units, seed });
    const cells = lstmCells(2, decoderContextSize('bahdanau', false, { encoderOutputSize: units, units }));
    const decoder = createDecoder({ kind: 'bahdanau', inputFeeding: false, cells, dropout: 0, attention });
    const memory = memoryFor(attention);
    const layers = [0, 1, 2, 3].map((k) => tf.randomNormal([2, units], 0, 1, 'float32', 20 + k) as tf.Tensor2D);
    const state = decoder.initialState(layers, memory);
    const x = tf.randomNormal([2, 3], 0, 1, 'float32', 30) as tf.Tensor2D;
    const variables = [...cells.flatMap((cell) => Object.values(cell.weights)), ...Object.values(attention.weights)];

    const byHand = () => {
      const { context, weights } = attention.attend(layers[2]!, memory); // s_{t−1}: the top layer's h
      const first = cells[0]!.step(x, layers.slice(0, 2), { context });
      const second = cells[1]!.step(first.output, layers.slice(2, 4));
      return { hidden: attention.combine(context, second.output), weights };
    };
    const ours = () => {
      const step = decoder.step(x, state);
      return { hidden: step.hidden, weights: step.attention! };
    };
    const loss = (run: typeof ours) => () => tf.add(tf.sum(tf.square(run().hidden)), tf.sum(tf.mul(run().weights, 3))) as tf.Scalar;
    const a = tf.variableGrads(loss(ours), variables);
    const b = tf.variableGrads(loss(byHand), variables);
    expectClose(await a.value.data(), await b.value.data(), { rtol: 0, atol: 0 });
    // The keys' projection runs once per source, outside the step, so its weights get no gradient here.
    expect(Object.keys(a.grads).sort()).toEqual(Object.keys(b.grads).sort());
    expect(Object.keys(a.grads).length).toBe(variables.length - 2);
    for (const name of Object.keys(a.grads))
      expectClose(await a.grads[name]!.data(), await b.grads[name]!.data(), { rtol: 1e-6, atol: 1e-7 });
    // The carried query is the new top output, and the state carries the memory through as the same tensors.
    const step = decoder.step(x, state);
    expectClose(await step.state.carried!.data(), await step.state.layers[2]!.data(), { rtol: 0, atol: 0 });
    expect(step.state.memory).toBe(memory);
    tf.dispose([
      a.value,
      b.value,
      ...Object.values(a.grads),
      ...Object.values(b.grads),
      step.hidden,
      step.attention!,
      ...step.state.layers,
      x,
      state.carried!,
      ...layers,
    ]);
    tf.dispose([memory.values, memory.keys, memory.mask, ...variables]);
  });

  it('flattens its named state for the IncrementalDecoder contract and reads it back, refusing another length', () => {
    const attention = createAttention('luong-general', { valueSize: units, units, seed });
    const cells = lstmCells(1, units);
    const decoder = createDecoder({ kind: 'luong-general', inputFeeding: true, cells, dropout: 0, attention });
    const memory = memoryFor(attention);
    const state = decoder.initialState([tf.zeros([2, units]), tf.zeros([2, units])] as tf.Tensor2D[], memory);
    const flat = flattenState(state, decoder.parts);
    expect(flat).toEqual([...state.layers, state.carried, memory.values, memory.keys, memory.mask]);
    const read = readState(flat, decoder.parts, 'test');
    expect(read.layers).toEqual(state.layers);
    expect(read.carried).toBe(state.carried);
    expect(read.memory).toEqual(memory);
    expect(() => readState(flat.slice(1), decoder.parts, 'seq2seq/translator')).toThrow(ShapeError);
    expect(() => readState(flat.slice(1), decoder.parts, 'seq2seq/translator')).toThrow(/step expects a state of 6 tensors .* got 5/);
    tf.dispose(flat);
    tf.dispose([...cells.flatMap((cell) => Object.values(cell.weights)), ...Object.values(attention.weights)]);
  });

  it('refuses Bahdanau over a top cell whose state does not hold h, naming the fix', () => {
    const attention = createAttention('bahdanau', { valueSize: units, units, seed });
    const noH: RecurrentCell = {
      units,
      stateSizes: [2 * units],
      weights: {},
      step: (x) => ({ output: x, state: [x] }),
    };
    expect(() => createDecoder({ kind: 'bahdanau', inputFeeding: false, cells: [noH], dropout: 0, attention })).toThrow(ConfigError);
    expect(() => createDecoder({ kind: 'bahdanau', inputFeeding: false, cells: [noH], dropout: 0, attention })).toThrow(
      /hold its output h .* got stateSizes \[8\]\. Use a cell whose state starts with h/,
    );
    tf.dispose(Object.values(attention.weights));
  });
});
