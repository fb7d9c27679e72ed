import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@nnkit/core';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { createSimpleRnnCell } from '@nnkit/plugin-rnn-lm';
import { expect, it } from 'vitest';
import { addingProblem } from './adding-problem.js';
import { sequenceRegressor } from './sequence-regressor.js';

describeEachBackend(
  'sequenceRegressor',
  () => {
    it('names its weights, and returns Σ (y − ŷ)² over the batch with the batch size as weight, leaving nothing behind', async () => {
      const model = sequenceRegressor(createSimpleRnnCell({ inputSize: 2, units: 4, seed: 1, name: 'cell' }), 2);
      expect(Object.keys(model.weights).sort()).toEqual(['bias', 'cell/bias', 'cell/input', 'cell/recurrent', 'readout']);
      const { xs, ys } = addingProblem(6, 5, 3);
      const batch = { inputs: xs, targets: ys };
      const predicted = tf.tidy(() => model.predict!(xs));
      const [p, y] = [Array.from(await predicted.data()), Array.from(await ys.data())];
      const before = tf.memory().numTensors;
      const { sum, weight } = model.loss(batch, { training: false });
      expect(weight).toBe(6);
      expectClose(await sum.data(), [p.reduce((total, pi, i) => total + (y[i]! - pi) ** 2, 0)], {
        rtol: 1e-5,
        atol: 1e-6,
      });
      sum.dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([predicted, xs, ys]);
      model.dispose!();
    });

    it('has a gradient for every weight, and refuses a batch without inputs and targets', async () => {
      const model = sequenceRegressor(createSimpleRnnCell({ inputSize: 2, units: 4, seed: 1, name: 'cell' }), 2);
      const { xs, ys } = addingProblem(6, 5, 3);
      const { value, grads } = tf.variableGrads(
        () => model.loss({ inputs: xs, targets: ys }, { training: true }).sum,
        Object.values(model.weights),
      );
      expect(Object.keys(grads)).toHaveLength(5);
      for (const g of Object.values(grads)) expect(Array.from(await g.data()).some((v) => v !== 0)).toBe(true);
      expect(() => model.loss({ xs, ys }, { training: false })).toThrow(ShapeError);
      tf.dispose([value, ...Object.values(grads), xs, ys]);
      model.dispose!();
    });

    it('reads h_T the same whether the cell runs the whole sequence or is stepped: equal loss and gradients', async () => {
      const cell = createSimpleRnnCell({ inputSize: 2, units: 4, seed: 1, name: 'cell' });
      const whole = sequenceRegressor(cell, 2);
      const stepped = sequenceRegressor({ ...cell, sequence: undefined }, 2);
      const { xs, ys } = addingProblem(6, 5, 3);
      const gradients = (model: typeof whole) =>
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(
            () => model.loss({ inputs: xs, targets: ys }, { training: true }).sum,
            [cell.input, cell.recurrent, cell.bias],
          );
          return [value, ...Object.values(grads)];
        });
      const [a, b] = [gradients(whole), gradients(stepped)];
      for (const [i, tensor] of a.entries()) expectClose(await tensor.data(), await b[i]!.data(), { rtol: 1e-4, atol: 1e-6 });
      tf.dispose([...a, ...b, xs, ys]);
      whole.dispose!();
      tf.dispose([stepped.weights.readout!, stepped.weights.bias!]);
    });
  },
  { only: ['cpu', 'wasm'] },
);
