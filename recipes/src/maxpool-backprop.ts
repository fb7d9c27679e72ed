import * as tf from '@tensorflow/tfjs';
import type { RecipeDefinition } from '@nnkit/core';
import { row } from './report.js';

const patch = (values: number[]) => tf.tensor4d(values, [1, 2, 2, 1]);
const pooled = (values: number[]) => tf.tidy(() => tf.maxPool(patch(values), 2, 2, 'valid').dataSync()[0]!);

/** The slides "Backpropagation for max pooling layer", on their 2×2 patch [[6, 8], [3, 5]]. */
export const maxpoolBackprop: RecipeDefinition = {
  name: 'maxpool-backprop',
  description: 'the gradient of max pooling: 1 at the maximum, 0 elsewhere',
  reproduces: 'Max is not differentiable, but only the maximum neuron affects the output: its gradient is 1, the others’ 0.',
  async run() {
    const gradient = tf.tidy(() =>
      Array.from(
        tf
          .grad((x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid').sum())(patch([6, 8, 3, 5]))
          .dataSync(),
      ),
    );
    const original = pooled([6, 8, 3, 5]);
    const notTheMax = pooled([7, 8, 3, 5]);
    const theMax = pooled([6, 9, 3, 5]);
    const show = (g: number[]) => `[[${g[0]}, ${g[1]}], [${g[2]}, ${g[3]}]]`;
    return {
      rows: [
        row('max of [[6, 8], [3, 5]]', 8, original, original === 8),
        row('gradient with respect to the patch', '[[0, 1], [0, 0]]', show(gradient), show(gradient) === '[[0, 1], [0, 0]]'),
        row('6 → 7 (not the maximum): output', '8, unchanged', notTheMax, notTheMax === 8),
        row('8 → 9 (the maximum): output', 9, theMax, theMax === 9),
      ],
      figures: [],
      settings: {
        patch: [
          [6, 8],
          [3, 5],
        ],
        pool: { size: 2, stride: 2, padding: 'valid' },
      },
      summary: `gradient ${show(gradient)}, outputs ${notTheMax} and ${theMax}`,
      details: { gradient },
    };
  },
};
