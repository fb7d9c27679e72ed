import * as tf from '@tensorflow/tfjs';
import { ConfigError, type Batch } from '@nnkit/core';
import { expectClose } from '@nnkit/core/testing';
import { describe, expect, it } from 'vitest';
import { END, START, reversalPairs, reverser } from './reverser.fixture.js';
import { padPairs, sequencePairBatches } from './sequence-pairs.js';
import { train } from './train.js';

const ids = { startId: START, endId: END };

/** `batch` with `extra` more columns of padding in every tensor: pad ids 0, masks 0. */
function padFurther(batch: Batch, extra: number): Batch {
  return tf.tidy(() =>
    Object.fromEntries(Object.entries(batch).map(([name, t]) => [name, tf.concat([t, tf.zeros([t.shape[0]!, extra], t.dtype)], 1)])),
  );
}

/** The mean loss per token and its gradients by weight name. */
function lossAndGrads(model: ReturnType<typeof reverser>, batch: Batch) {
  const names = new Map(Object.entries(model.weights).map(([name, v]) => [v.name, name]));
  let parts: { sum: tf.Scalar; weight: tf.Scalar } | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const loss = model.loss(batch, { training: true });
    parts = { sum: tf.keep(loss.sum), weight: tf.keep(loss.weight as tf.Scalar) };
    return tf.div(loss.sum, loss.weight) as tf.Scalar;
  }, Object.values(model.weights));
  return {
    value,
    parts: parts!,
    grads: Object.fromEntries(Object.entries(grads).map(([name, g]) => [names.get(name)!, g])),
  };
}

describe('sequence pairs', () => {
  it('pads and masks each batch: targets get the start and end tokens, padding is 0 in the masks', async () => {
    const before = tf.memory().numTensors;
    const batch = padPairs(
      [
        { source: [1, 2, 3], target: [3, 2, 1] },
        { source: [4], target: [4] },
      ],
      ids,
    );
    expect(await batch.source.array()).toEqual([
      [1, 2, 3],
      [4, 0, 0],
    ]);
    expect(await batch.sourceMask.array()).toEqual([
      [1, 1, 1],
      [1, 0, 0],
    ]);
    expect(await batch.targetInput.array()).toEqual([
      [START, 3, 2, 1],
      [START, 4, 0, 0],
    ]);
    expect(await batch.targetOutput.array()).toEqual([
      [3, 2, 1, END],
      [4, END, 0, 0],
    ]);
    expect(await batch.targetMask.array()).toEqual([
      [1, 1, 1, 1],
      [1, 1, 0, 0],
    ]);
    tf.dispose(Object.values(batch));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('batches every pair once per epoch, the same for the same (epoch, index, seed), and counts tokens', async () => {
    const pairs = reversalPairs(50, 1);
    const source = sequencePairBatches(pairs, { ...ids, batchSize: 8 });
    expect(source.batchesPerEpoch).toBe(7);
    expect(source.unitsPerEpoch).toBe(pairs.reduce((n, p) => n + p.target.length + 1, 0));
    let rows = 0;
    let tokens = 0;
    for (let index = 0; index < source.batchesPerEpoch; index++) {
      const batch = source.batch(2, index, 9);
      const again = source.batch(2, index, 9);
      expect(await batch.source!.array()).toEqual(await again.source!.array());
      rows += batch.source!.shape[0]!;
      tokens += (await batch.targetMask!.sum().data())[0]!;
      tf.dispose([...Object.values(batch), ...Object.values(again)]);
    }
    expect(rows).toBe(50);
    expect(tokens).toBe(source.unitsPerEpoch);
    expect(() => sequencePairBatches([], { ...ids, batchSize: 8 })).toThrow(ConfigError);
    expect(() => sequencePairBatches([{ source: [], target: [1] }], { ...ids, batchSize: 8 })).toThrow(/non-empty sources/);
  });

  it('more padding changes neither the loss per token nor its gradients', async () => {
    const model = reverser(3);
    const pairs = reversalPairs(6, 2);
    const batch = padPairs(pairs, ids);
    const padded = padFurther(batch, 3);
    expect(padded.source!.shape[1]).toBe(batch.source.shape[1] + 3);
    const before = tf.memory().numTensors;
    const plain = lossAndGrads(model, batch);
    const wider = lossAndGrads(model, padded);
    const [sum, weight, widerSum, widerWeight] = await Promise.all(
      [plain.parts.sum, plain.parts.weight, wider.parts.sum, wider.parts.weight].map(async (t) => (await t.data())[0]!),
    );
    expect(weight).toBe(pairs.reduce((n, p) => n + p.target.length + 1, 0));
    expect(widerWeight).toBe(weight);
    expect(widerSum).toBeCloseTo(sum!, 5);
    expect((await wider.value.data())[0]).toBeCloseTo((await plain.value.data())[0]!, 6);
    expect(Object.keys(wider.grads).sort()).toEqual(Object.keys(model.weights).sort());
    for (const [name, grad] of Object.entries(plain.grads)) {
      expectClose(wider.grads[name]!, grad, { atol: 1e-5, rtol: 0 });
      expect(Math.max(...Array.from(await grad.data(), Math.abs)), `${name} gets a gradient`).toBeGreaterThan(0);
    }
    tf.dispose([
      plain.value,
      wider.value,
      Object.values(plain.parts),
      Object.values(wider.parts),
      Object.values(plain.grads),
      Object.values(wider.grads),
    ]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...Object.values(batch), ...Object.values(padded)]);
    model.dispose!();
  });

  it('trains a digit-string reverser through train({ data: sequencePairBatches(…) }): the loss per token falls', async () => {
    const model = reverser(5);
    const data = sequencePairBatches(reversalPairs(320, 7), { ...ids, batchSize: 32 });
    const before = tf.memory().numTensors;
    const result = await train({
      model,
      data,
      epochs: 10,
      optimizer: { name: 'adam', learningRate: 0.02 },
      clip: { norm: 5 },
      seed: 1,
    });
    const losses = result.history.map((h) => h.metrics.loss!);
    expect(losses[0]).toBeLessThan(Math.log(11) + 0.1); // about ln 11 ≈ 2.4 at chance
    expect(losses.at(-1)).toBeLessThan(0.6 * losses[0]!);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose!();
  }, 120_000);
});
