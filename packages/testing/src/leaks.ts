import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/**
 * Runs `work` and asserts that `tf.memory().numTensors` is where it was before: the check every nnkit model, cell
 * and op has. Returns what `work` returned.
 */
export async function expectNoLeaks<T>(work: () => T | Promise<T>, what = 'the work'): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await work();
  const after = tf.memory().numTensors;
  expect(
    after,
    `${what} expects to leave tf.memory().numTensors at ${before}, left ${after} (${after - before > 0 ? `${after - before} tensors not disposed` : `${before - after} disposed that it did not make`})`,
  ).toBe(before);
  return result;
}

/** Every weight's values, by name: to compare two models or one model before and after. */
export async function weightValues(weights: Readonly<Record<string, tf.Tensor>>): Promise<Record<string, Float32Array>> {
  const entries = await Promise.all(Object.entries(weights).map(async ([name, w]) => [name, (await w.data()) as Float32Array] as const));
  return Object.fromEntries(entries);
}
