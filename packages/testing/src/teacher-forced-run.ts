import * as tf from '@tensorflow/tfjs';
import type { WeightMap } from '@nnkit/core';
import { expectClose } from '@nnkit/core/testing';
import { expect } from 'vitest';

/** A model that decodes step by step from a context, as `expectRunMatchesSteps` compares it. */
export interface SteppedDecoder<X> {
  readonly weights: WeightMap;
  readonly vocabularySize: number;
  initialState(context: X): tf.Tensor[];
  step(tokens: tf.Tensor1D, state: tf.Tensor[]): { logits: tf.Tensor2D; state: tf.Tensor[] };
}

/**
 * Asserts that a decoder's run over a whole target with teacher forcing (`run`: its logits, (batch, T, V), however
 * the model makes them: prepared cell steps, one readout for every step) gives the logits, and the gradients for every
 * weight, of its incremental `step` fed `targetInput` (batch, T) one column at a time from `initialState(context)`;
 * and that both leave tf.memory() as they found it. The loss weighs every logit differently.
 */
export async function expectRunMatchesSteps<X>(
  model: SteppedDecoder<X>,
  context: X,
  targetInput: tf.Tensor2D,
  run: () => tf.Tensor,
  tolerance = { rtol: 1e-4, atol: 1e-5 },
): Promise<void> {
  const [batch, steps] = targetInput.shape;
  const weighting = tf.randomNormal([batch, steps, model.vocabularySize], 0, 1, 'float32', 3);
  const bySteps = () => {
    let state = model.initialState(context);
    const logits: tf.Tensor[] = [];
    for (const tokens of tf.unstack(targetInput, 1)) {
      const next = model.step(tokens as tf.Tensor1D, state);
      logits.push(next.logits);
      state = next.state;
    }
    return tf.stack(logits, 1);
  };
  const names = Object.keys(model.weights);
  const everything = (logitsOf: () => tf.Tensor) =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(logitsOf(), weighting)), Object.values(model.weights));
      return [value, tf.tidy(logitsOf), ...names.map((name) => grads[model.weights[name]!.name]!)];
    });
  const before = tf.memory().numTensors;
  const byRun = everything(run);
  const stepped = everything(bySteps);
  for (const [i, tensor] of byRun.entries()) expectClose(await tensor.data(), await stepped[i]!.data(), tolerance);
  tf.dispose([...byRun, ...stepped]);
  expect(tf.memory().numTensors).toBe(before);
  weighting.dispose();
}
