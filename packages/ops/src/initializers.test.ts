import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { fanInUniform, glorotUniform, uniformVariable } from './initializers.js';

describe('initializers: one uniform family', () => {
  it('draws what tf.randomUniform draws for the same limit and seed, so saved weights are made again bit for bit', () => {
    const before = tf.memory().numTensors;
    const reference = tf.randomUniform([5, 8], -Math.sqrt(6 / 13), Math.sqrt(6 / 13), 'float32', 11);
    const glorot = glorotUniform(5, 8, 11);
    expect(Array.from(glorot.dataSync())).toEqual(Array.from(reference.dataSync()));
    const heReference = tf.randomUniform([3, 3, 1, 4], -Math.sqrt(6 / 9), Math.sqrt(6 / 9), 'float32', 2);
    const he = fanInUniform([3, 3, 1, 4], 9, 6, 2);
    expect(Array.from(he.dataSync())).toEqual(Array.from(heReference.dataSync()));
    tf.dispose([reference, glorot, heReference, he]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stays within ±limit, is trainable, and differs by seed', () => {
    const a = uniformVariable([200], 0.25, 1);
    const b = uniformVariable([200], 0.25, 2);
    const values = Array.from(a.dataSync());
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(0.25);
    expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(0.2);
    expect(a.trainable).toBe(true);
    expect(values).not.toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
  });
});
