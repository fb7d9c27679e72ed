import * as tf from '@tensorflow/tfjs';
import { mulberry32, type Examples } from '@nnkit/core';

/**
 * The adding problem (Hochreiter & Schmidhuber 1997, experiment 4; in the form of Le et al. 2015): each step reads
 * a pair (value, marker), values uniform in [0, 1], exactly two markers set, one in each half of the sequence.
 * The target, given after the last step, is the sum of the two marked values. Answering 1 whatever the input
 * scores a mean squared error of Var(U + U′) = 1/6 ≈ 0.167, so a model must remember far back to do better.
 */
export function addingProblem(examples: number, steps: number, seed: number): Examples {
  const random = mulberry32(seed);
  const inputs = new Float32Array(examples * steps * 2);
  const targets = new Float32Array(examples);
  const half = Math.floor(steps / 2);
  for (let n = 0; n < examples; n++) {
    const marked = [Math.floor(random() * half), half + Math.floor(random() * (steps - half))];
    for (let t = 0; t < steps; t++) {
      const value = random();
      inputs[(n * steps + t) * 2] = value;
      if (marked.includes(t)) {
        inputs[(n * steps + t) * 2 + 1] = 1;
        targets[n]! += value;
      }
    }
  }
  return { xs: tf.tensor3d(inputs, [examples, steps, 2]), ys: tf.tensor2d(targets, [examples, 1]) };
}

/** The score of always answering the mean sum, 1: 1/6. */
export const ALWAYS_ONE_MSE = 1 / 6;
