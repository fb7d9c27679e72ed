import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@nnkit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOutputLayer } from './output-layer.js';
import { runTeacherForced, type TeacherForcedDecoder } from './teacher-forcing.js';

beforeAll(() => tf.setBackend('cpu'));

/** A decoder whose state is the running sum of its inputs, read as the hidden vector; it attends to nothing but says so. */
function summingDecoder(withAttention: boolean): TeacherForcedDecoder<tf.Tensor2D> {
  return {
    table: tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 1],
    ]),
    output: createOutputLayer(2, 3, 0, () => 5),
    dropout: 0,
    step: (x, state) => {
      const next = tf.add(state, x) as tf.Tensor2D;
      return { state: next, hidden: next, ...(withAttention && { attention: tf.ones([x.shape[0], 4]) as tf.Tensor2D }) };
    },
  };
}

describe('runTeacherForced', () => {
  it('steps through the embedded targets, or what replaceInput gives from step 1 on, and reads every step in one output call', async () => {
    const decoder = summingDecoder(true);
    const targets = tf.tensor2d([[0, 1, 2]], undefined, 'int32');
    const start = tf.zeros([1, 2]) as tf.Tensor2D;
    const kernel = decoder.output.weights['output/kernel']!;
    // Running sums of the rows [1, 0], [0, 1], [1, 1]: [1, 0], [1, 1], [2, 2].
    const forced = runTeacherForced(decoder, start, targets, { training: false, seed: 0 });
    expect(forced.logits.shape).toEqual([1, 3, 3]);
    expect(forced.attention!.shape).toEqual([1, 3, 4]);
    const sums = tf.tensor2d([
      [1, 0],
      [1, 1],
      [2, 2],
    ]);
    expectClose(await forced.logits.data(), await tf.matMul(sums, kernel).data(), { rtol: 1e-6, atol: 1e-6 });
    // Replaced from step 1 on by the previous hidden vector: [1, 0], then [2, 0], then [4, 0].
    const replaced = runTeacherForced(decoder, start, targets, { training: false, seed: 0, replaceInput: (t, previous) => previous });
    const doubled = tf.tensor2d([
      [1, 0],
      [2, 0],
      [4, 0],
    ]);
    expectClose(await replaced.logits.data(), await tf.matMul(doubled, kernel).data(), { rtol: 1e-6, atol: 1e-6 });
    expect(runTeacherForced(summingDecoder(false), start, targets, { training: false, seed: 0 }).attention).toBeUndefined();
  });

  it("with a readout, the output layer reads the readout of every step's hidden, and replaceInput gets the readout of the previous one", async () => {
    // The steps leave the running sums; the readout doubles them: what a step that doubled its own hidden would give.
    const doubling = (x: tf.Tensor) => tf.mul(x, 2);
    const deferred: TeacherForcedDecoder<tf.Tensor2D> = { ...summingDecoder(false), readout: (hidden) => doubling(hidden) as tf.Tensor3D };
    const plain = summingDecoder(false);
    const eager: TeacherForcedDecoder<tf.Tensor2D> = {
      ...plain,
      step: (x, state, options) => {
        const { state: next } = plain.step(x, state, options);
        return { state: next, hidden: doubling(next) as tf.Tensor2D };
      },
    };
    const targets = tf.tensor2d([[0, 1, 2]], undefined, 'int32');
    const start = tf.zeros([1, 2]) as tf.Tensor2D;
    const seen: number[][][] = [[], []];
    for (const [i, decoder] of [deferred, eager].entries()) {
      const replaceInput = (_t: number, previous: tf.Tensor2D) => {
        seen[i]!.push(Array.from(previous.dataSync()));
        return previous;
      };
      const forced = runTeacherForced(decoder, start, targets, { training: false, seed: 0 });
      const replaced = runTeacherForced(decoder, start, targets, { training: false, seed: 0, replaceInput });
      seen[i]!.push(Array.from(await forced.logits.data()), Array.from(await replaced.logits.data()));
    }
    // The previous vectors replaceInput saw ([2, 0], then [6, 0]), and both runs' logits, alike.
    expect(seen[0]![0]).toEqual([2, 0]);
    expect(seen[0]).toEqual(seen[1]);
  });
});
