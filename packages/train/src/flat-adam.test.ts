import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@nnkit/core';
import { describeEachBackend, expectClose } from '@nnkit/core/testing';
import { expect, it } from 'vitest';
import { FlatAdamOptimizer } from './flat-adam.js';

describeEachBackend('FlatAdamOptimizer', () => {
  const shapes = [[3, 4], [4], [2, 2, 3]];
  const makeVariables = () => shapes.map((shape, i) => tf.variable(tf.randomNormal(shape, 0, 1, 'float32', 10 + i)));
  // A loss whose gradients differ between variables and steps.
  const loss = (variables: tf.Variable[]) => () =>
    tf.addN(variables.map((v, i) => tf.sum(tf.mul(tf.sin(tf.mul(v, i + 1)), tf.square(v))))) as tf.Scalar;
  const train = (optimizer: tf.Optimizer, variables: tf.Variable[], steps: number) => {
    for (let s = 0; s < steps; s++) optimizer.minimize(loss(variables), false, variables);
  };

  it("takes the steps tfjs's Adam takes, and leaves no tensor behind after its first step", async () => {
    const [ours, theirs] = [makeVariables(), makeVariables()];
    const [flat, adam] = [new FlatAdamOptimizer(0.05, 0.8, 0.95, 1e-6), tf.train.adam(0.05, 0.8, 0.95, 1e-6)];
    train(flat, ours, 1);
    const before = tf.memory().numTensors;
    train(flat, ours, 5);
    expect(tf.memory().numTensors).toBe(before);
    train(adam, theirs, 6);
    for (const [i, v] of ours.entries()) expectClose(await v.data(), await theirs[i]!.data(), { rtol: 1e-5, atol: 1e-6 });
    flat.dispose();
    adam.dispose();
    tf.dispose([...ours, ...theirs]);
  });

  it("speaks tfjs's Adam format in getWeights and setWeights, both ways, so that a run resumes with either", async () => {
    const [ours, theirs] = [makeVariables(), makeVariables()];
    const [flat, adam] = [new FlatAdamOptimizer(0.05), tf.train.adam(0.05, 0.9, 0.999, 1e-7)];
    train(flat, ours, 3);
    train(adam, theirs, 3);
    const [saved, expected] = [await flat.getWeights(), await adam.getWeights()];
    // Variables differ in name between the two sets; the slots follow them (`name/m`, then `name/v`).
    expect(saved.map((w) => w.name.replace(/^\d+/, '#'))).toEqual(expected.map((w) => w.name.replace(/^\d+/, '#')));
    for (const [i, w] of saved.entries()) expectClose(await w.tensor.data(), await expected[i]!.tensor.data(), { rtol: 1e-5, atol: 1e-7 });

    // tfjs's state into a new FlatAdam over copies of the same variables: both go on alike (to float32 rounding:
    // setWeights recomputes β₁ᵗ, β₂ᵗ as powers, as tfjs's does).
    const resumed = new FlatAdamOptimizer(0.05);
    const copies = theirs.map((v) => tf.variable(v.clone()));
    const renamed = (await adam.getWeights()).map(({ name, tensor }) => ({
      name: name.replace(/^(\d+)\//, (_, id) => `${copies[theirs.findIndex((v) => v.name === id)]?.name ?? id}/`),
      tensor,
    }));
    await resumed.setWeights(renamed);
    train(resumed, copies, 2);
    train(adam, theirs, 2);
    for (const [i, v] of copies.entries()) expectClose(await v.data(), await theirs[i]!.data(), { rtol: 1e-4, atol: 1e-6 });
    tf.dispose(saved.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor));
    tf.dispose(expected.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor));
    [flat, adam, resumed].forEach((o) => o.dispose());
    tf.dispose([...ours, ...theirs, ...copies]);
  });

  it('refuses a step over other variables than its first, naming both sets', () => {
    const variables = makeVariables();
    const flat = new FlatAdamOptimizer(0.01);
    train(flat, variables, 1);
    expect(() => train(flat, variables.slice(1), 1)).toThrow(ShapeError);
    expect(() => train(flat, variables.slice(1), 1)).toThrow(/the same variables at every step/);
    flat.dispose();
    tf.dispose(variables);
  });
});
