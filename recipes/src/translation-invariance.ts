import * as tf from '@tensorflow/tfjs';
import type { RecipeDefinition, RecipeOptions } from '@nnkit/core';
import { heatmapFigure, writeFigure } from '@nnkit/viz';
import { figurePath, row } from './report.js';

// The slide "How do we maintain translation invariance?": one pattern in two places, one kernel.
const INPUT_A = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
const INPUT_B = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const KERNEL = [1, 0, 0, 1];
const SLIDE_A = [0, 0, 0, 0, 1, 0, 0, 0, 2];
const SLIDE_B = [2, 0, 0, 0, 1, 0, 0, 0, 0];

function convolve(input: number[]): number[] {
  return tf.tidy(() => Array.from(tf.conv2d(tf.tensor4d(input, [1, 4, 4, 1]), tf.tensor4d(KERNEL, [2, 2, 1, 1]), 1, 'valid').dataSync()));
}

function globalMaxPool(map: number[]): number {
  return tf.tidy(() => tf.maxPool(tf.tensor4d(map, [1, 3, 3, 1]), 3, 1, 'valid').dataSync()[0]!);
}

export const translationInvariance: RecipeDefinition = {
  name: 'translation-invariance',
  description: 'a shifted pattern changes the convolution’s output map but not its maximum',
  reproduces: 'Both 4×4 inputs convolved with [[1, 0], [0, 1]] give 3×3 maps whose maximum is 2: max pooling answers the same for both.',
  async run(options: RecipeOptions) {
    const a = convolve(INPUT_A);
    const b = convolve(INPUT_B);
    const same = (x: number[], y: number[]) => x.every((v, i) => v === y[i]);
    const positions = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));
    const figure = await writeFigure(
      figurePath(options, 'translation-invariance', 'inputs-and-outputs.png'),
      heatmapFigure({
        title: 'One pattern in two places, one kernel: the maps move, their maximum does not',
        subtitle: 'each 4×4 input convolved with the kernel [[1, 0], [0, 1]] (valid, stride 1) gives a 3×3 map',
        panels: [
          { title: 'input, pattern lower right', values: INPUT_A, rows: positions(4), columns: positions(4) },
          { title: 'input, pattern upper left', values: INPUT_B, rows: positions(4), columns: positions(4) },
          { title: `its map: maximum ${Math.max(...a)}`, values: a, rows: positions(3), columns: positions(3) },
          { title: `its map: maximum ${Math.max(...b)}`, values: b, rows: positions(3), columns: positions(3) },
        ],
        x: { title: 'column' },
        y: { title: 'row' },
        color: { title: 'value', scheme: 'blues', domain: [0, 2] },
        cellSize: 40,
      }),
    );
    return {
      rows: [
        row(
          'output map for the lower-right pattern',
          '[[0,0,0],[0,1,0],[0,0,2]]',
          JSON.stringify([a.slice(0, 3), a.slice(3, 6), a.slice(6)]),
          same(a, SLIDE_A),
        ),
        row(
          'output map for the upper-left pattern',
          '[[2,0,0],[0,1,0],[0,0,0]]',
          JSON.stringify([b.slice(0, 3), b.slice(3, 6), b.slice(6)]),
          same(b, SLIDE_B),
        ),
        row('maximum of each map', '2 and 2', `${Math.max(...a)} and ${Math.max(...b)}`, Math.max(...a) === 2 && Math.max(...b) === 2),
        row(
          '3×3 max pooling of each map',
          'the same answer',
          `${globalMaxPool(a)} and ${globalMaxPool(b)}`,
          globalMaxPool(a) === globalMaxPool(b),
        ),
      ],
      figures: [figure],
      settings: { inputs: { lowerRight: INPUT_A, upperLeft: INPUT_B }, kernel: KERNEL, padding: 'valid', stride: 1 },
      summary: `the same two maps (${JSON.stringify([a.slice(0, 3), a.slice(3, 6), a.slice(6)])} and ${JSON.stringify([b.slice(0, 3), b.slice(3, 6), b.slice(6)])}), the same maximum ${Math.max(...a)}, the same max-pooled answer. Picture: \`inputs-and-outputs.png\``,
    };
  },
};
