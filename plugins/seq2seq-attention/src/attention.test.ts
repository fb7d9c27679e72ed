import * as tf from '@tensorflow/tfjs';
import { type Batch, type Kit } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import { tidy } from '@nnkit/ops';
import { expectClose } from '@nnkit/core/testing';
import { checkGradients } from '@nnkit/ops';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { beforeAll, describe, expect, it } from 'vitest';
import { maskedSoftmax } from './attention.js';
import { ATTENTION_VARIANTS, padFurther, paddedBatch, realLengths, tinyTranslator } from './translator.fixture.js';
import type { Translator } from './translator.js';

/** Teacher-forced logits (batch, T, V) and attention (batch, T, S) of a batch. */
function forward(model: Translator, batch: Batch) {
  return tf.tidy(() => {
    const encoded = model.encode(batch.source as tf.Tensor2D, batch.sourceMask as tf.Tensor2D);
    const { logits, attention } = model.decode(encoded, batch.targetInput as tf.Tensor2D);
    return { logits, attention: attention! };
  });
}

/** max |x|, freeing what it makes (and x). */
async function largest(x: tf.Tensor): Promise<number> {
  const max = tf.tidy(() => tf.max(tf.abs(x)));
  const [value] = await max.data();
  tf.dispose([max, x]);
  return value!;
}

async function lossParts(model: Translator, batch: Batch): Promise<[number, number]> {
  const { sum, weight } = model.loss(batch, { training: false });
  const parts: [number, number] = [(await sum.data())[0]!, (await (weight as tf.Scalar).data())[0]!];
  tf.dispose([sum, weight as tf.Scalar]);
  return parts;
}

describe('attention', () => {
  // The fixture's translators ask this kit for their cells by name.
  let cells: Kit;
  beforeAll(async () => {
    cells = await createKit({ backend: 'cpu', progress: silentProgress(), plugins: [rnnLm(), lstm()] });
  });

  it('masked softmax: exactly 0 at padding, sums to 1 over the real positions, whatever the scores there', async () => {
    const scores = tf.tensor2d([
      [1, 2, 3, 1e4],
      [-50, 0, -Infinity, 7],
    ]);
    const mask = tf.tensor2d([
      [1, 1, 1, 0],
      [1, 1, 0, 0],
    ]);
    const weights = maskedSoftmax(scores, mask);
    const rows = (await weights.array()) as number[][];
    expect(rows[0]![3]).toBe(0);
    expect(rows[1]!.slice(2)).toEqual([0, 0]);
    expectClose(
      rows.map((r) => r.reduce((a, b) => a + b, 0)),
      [1, 1],
      { atol: 1e-6 },
    );
    expectClose(rows[0]!.slice(0, 3), Array.from(tf.softmax(tf.tensor1d([1, 2, 3])).dataSync()), { atol: 1e-6 });
    tf.dispose([scores, mask, weights]);
  });

  for (const [variant, overrides] of Object.entries(ATTENTION_VARIANTS)) {
    describe(variant, () => {
      it('weights sum to one over the real source positions and are exactly 0 at padded ones, in training and in decoding', async () => {
        const model = tinyTranslator(cells, overrides);
        const batch = paddedBatch();
        const lengths = await realLengths(batch);
        const { logits, attention } = forward(model, batch);
        const [rows, steps, positions] = attention.shape;
        expect([rows, steps]).toEqual(batch.targetInput.shape);
        expect(positions).toBe(batch.source.shape[1]);
        const weights = (await attention.array()) as number[][][];
        weights.forEach((row, b) =>
          row.forEach((step) => {
            expect(
              step.slice(lengths[b]!).every((w) => w === 0),
              `row ${b}: padded positions get exactly 0`,
            ).toBe(true);
            expect(step.slice(0, lengths[b]!).reduce((a, w) => a + w, 0)).toBeCloseTo(1, 5);
            expect(step.slice(0, lengths[b]!).every((w) => w > 0)).toBe(true);
          }),
        );

        // The incremental decoder gives the same logits and attention, one step at a time.
        const before = tf.memory().numTensors;
        const stepped = tf.tidy(() => {
          let state = model.initialState({ source: batch.source, sourceMask: batch.sourceMask });
          const columns = tf.unstack(batch.targetInput, 1) as tf.Tensor1D[];
          const out = columns.map((tokens) => {
            const step = model.step(tokens, state);
            state = step.state;
            return { logits: step.logits, attention: step.attention! };
          });
          return {
            logits: tf.stack(
              out.map((o) => o.logits),
              1,
            ),
            attention: tf.stack(
              out.map((o) => o.attention),
              1,
            ),
          };
        });
        expectClose(stepped.logits, logits, { atol: 1e-5 });
        expectClose(stepped.attention, attention, { atol: 1e-6 });
        tf.dispose([stepped.logits, stepped.attention]);
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([logits, attention, ...Object.values(batch)]);
        model.dispose();
      });

      it('padding the batch further changes neither the loss sum and weight nor the attention over real positions', async () => {
        const model = tinyTranslator(cells, overrides);
        const batch = paddedBatch();
        const wider = padFurther(batch, 3);
        const [sum, weight] = await lossParts(model, batch);
        const [widerSum, widerWeight] = await lossParts(model, wider);
        expect(weight).toBe(6 + 3 + 4); // real target tokens: 5 + 1, 2 + 1, 3 + 1 (the end token counts)
        expect(widerWeight).toBe(weight);
        expect(widerSum).toBeCloseTo(sum, 5);

        const plain = forward(model, batch);
        const padded = forward(model, wider);
        const [, steps, positions] = plain.attention.shape;
        const cut = tf.tidy(() => padded.attention.slice([0, 0, 0], [-1, steps, positions]));
        expectClose(cut, plain.attention, { atol: 1e-6 });
        expect(await largest(padded.attention.slice([0, 0, positions], [-1, -1, -1]))).toBe(0);
        tf.dispose([plain.logits, plain.attention, padded.logits, padded.attention, cut, ...Object.values(batch), ...Object.values(wider)]);
        model.dispose();
      });

      it('passes a gradient check through the attention: the loss as a function of the encoder outputs', async () => {
        const model = tinyTranslator(cells, overrides);
        const batch = paddedBatch([
          { source: [4, 5, 6], target: [6, 5] },
          { source: [7, 8], target: [8, 7, 9] },
        ]);
        const encoded = model.encode(batch.source, batch.sourceMask);
        const labels = tf.oneHot(tf.cast(batch.targetOutput, 'int32'), model.vocabularySize);
        // The summed cross-entropy over the real target tokens, with the encoder's outputs H as the variable.
        const loss = (outputs: tf.Tensor) =>
          tf.tidy(() => {
            const { logits } = model.decode({ ...encoded, outputs: outputs as tf.Tensor3D }, batch.targetInput);
            return tf.losses.softmaxCrossEntropy(labels, logits, batch.targetMask, undefined, tf.Reduction.SUM) as tf.Scalar;
          });
        const before = tf.memory().numTensors;
        const check = await checkGradients(loss, [encoded.outputs], { maxElementsPerInput: 48 });
        expect(check.mismatches).toEqual([]);
        expect(check.ok).toBe(true);
        // No gradient reaches a padded position (row 1, position 2), where the weights are exactly 0.
        const gradient = tf.grad((outputs: tf.Tensor) => loss(outputs))(encoded.outputs);
        expect(await largest(gradient.slice([1, 2, 0], [1, 1, -1]))).toBe(0);
        expect(await largest(gradient)).toBeGreaterThan(0);
        gradient.dispose();
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([labels, encoded.outputs, encoded.mask, ...encoded.finalStates.flat(), ...Object.values(batch)]);
        model.dispose();
      });
    });
  }

  it("'none' (the bottleneck) has no attention, and its loss does not move with more padding either", async () => {
    const model = tinyTranslator(cells, { attention: 'none', bidirectional: true, encoderLayers: 2 });
    const batch = paddedBatch();
    const wider = padFurther(batch, 4);
    const [sum, weight] = await lossParts(model, batch);
    const [widerSum, widerWeight] = await lossParts(model, wider);
    expect(widerWeight).toBe(weight);
    expect(widerSum).toBeCloseTo(sum, 5);
    const { logits, attention } = tidy(() => model.decode(model.encode(batch.source, batch.sourceMask), batch.targetInput));
    expect(attention).toBeUndefined();
    expect(Object.keys(model.weights).some((name) => name.startsWith('attention/'))).toBe(false);
    const state = model.initialState({ source: batch.source, sourceMask: batch.sourceMask });
    expect(state).toHaveLength(2); // the decoder LSTM's h and c: no memory to attend over
    tf.dispose([logits, ...state, ...Object.values(batch), ...Object.values(wider)]);
    model.dispose();
  });
});
