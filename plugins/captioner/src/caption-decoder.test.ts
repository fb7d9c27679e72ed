import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, type Kit, type RecurrentCell } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import { expectClose } from '@nnkit/core/testing';
import { dense } from '@nnkit/ops';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCaptionDecoder } from './caption-decoder.js';
import { createGridAttention } from './grid-attention.js';

let kit: Kit;
beforeAll(async () => {
  await tf.setBackend('cpu');
  kit = await createKit({ backend: 'cpu', progress: silentProgress(), plugins: [rnnLm(), lstm()] });
});

const [units, depth, positions] = [4, 3, 5];
const seed = (label: string) => label.length * 7 + 2;

describe('the caption decoder step', () => {
  it('is Show, Attend and Tell’s step written out: attend from h_{t−1}, the cell with context ẑ_t, o_t = tanh(W_h h_t + W_z ẑ_t + b)', async () => {
    const cell = kit.createCell('lstm/lstm', { inputSize: 2, units, seed: 3, name: 'decoder', contextSize: depth });
    const attention = createGridAttention({ valueSize: depth, queryUnits: units, units: 6, seed });
    const decoder = createCaptionDecoder({ cell, cellName: 'lstm/lstm', attention, depth, seed });
    expect(Object.keys(decoder.weights)).toEqual([
      ...Object.keys(cell.weights),
      ...Object.keys(attention.weights),
      'output/hidden/kernel',
      'output/context/kernel',
      'output/hidden/bias',
    ]);
    const values = tf.randomNormal([2, positions, depth], 0, 1, 'float32', 8) as tf.Tensor3D;
    const annotations = { values, keys: attention.keys(values) };
    const previous = [tf.randomNormal([2, units], 0, 1, 'float32', 9), tf.randomNormal([2, units], 0, 1, 'float32', 10)] as tf.Tensor2D[];
    const x = tf.randomNormal([2, 2], 0, 1, 'float32', 11) as tf.Tensor2D;
    const w = decoder.weights;

    const byHand = () => {
      const { context, weights } = attention.attend(previous[0]!, annotations);
      const { output: h } = cell.step(x, previous, { context });
      const o = tf.tanh(
        tf.add(dense(h, w['output/hidden/kernel']!, w['output/hidden/bias']), tf.matMul(context, w['output/context/kernel']!)),
      );
      return tf.add(tf.sum(tf.square(o)), tf.sum(tf.mul(weights, 2))) as tf.Scalar;
    };
    const ours = () => {
      const step = decoder.step(x, { cell: previous, annotations });
      return tf.add(tf.sum(tf.square(step.hidden)), tf.sum(tf.mul(step.attention!, 2))) as tf.Scalar;
    };
    const variables = Object.values(decoder.weights);
    const a = tf.variableGrads(ours, variables);
    const b = tf.variableGrads(byHand, variables);
    expectClose(await a.value.data(), await b.value.data(), { rtol: 0, atol: 0 });
    expect(Object.keys(a.grads).sort()).toEqual(Object.keys(b.grads).sort());
    for (const name of Object.keys(a.grads))
      expectClose(await a.grads[name]!.data(), await b.grads[name]!.data(), { rtol: 1e-6, atol: 1e-7 });

    // Its state by name, flattened for the IncrementalDecoder contract and read back; a list of another length is refused.
    const flat = decoder.flatten({ cell: previous, annotations });
    expect(flat).toEqual([...previous, values, annotations.keys]);
    expect(decoder.read(flat)).toEqual({ cell: previous, annotations });
    expect(() => decoder.read(flat.slice(0, 3))).toThrow(ShapeError);
    expect(() => decoder.read(flat.slice(0, 3))).toThrow(/step expects a state of 4 tensors .* got 3/);
    tf.dispose([
      a.value,
      b.value,
      ...Object.values(a.grads),
      ...Object.values(b.grads),
      values,
      annotations.keys,
      ...previous,
      x,
      ...variables,
    ]);
  });

  it('refuses a cell whose state does not hold h, naming the cell and the fix', () => {
    const noH: RecurrentCell = {
      units,
      stateSizes: [2 * units],
      weights: {},
      step: (x) => ({ output: x, state: [x] }),
    };
    expect(() => createCaptionDecoder({ cell: noH, cellName: 'odd/cell', depth, seed })).toThrow(ConfigError);
    expect(() => createCaptionDecoder({ cell: noH, cellName: 'odd/cell', depth, seed })).toThrow(
      /hold its output h .* got 'odd\/cell' with stateSizes \[8\]/,
    );
  });
});
