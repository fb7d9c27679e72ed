import * as tf from '@tensorflow/tfjs';
import type { RecipeDefinition } from '@nnkit/core';
import { row } from './report.js';

/** Kernel width, height, input channels, output channels: LeNet-5's C1 and C3, and layers of later CNNs. */
const SHAPES: readonly [number, number, number, number][] = [
  [5, 5, 1, 6],
  [5, 5, 6, 16],
  [3, 3, 3, 64],
  [3, 3, 64, 128],
  [11, 11, 3, 96],
  [1, 1, 256, 64],
  [7, 5, 3, 8],
];

/** The slide "One kernel is not enough!": C_out kernels of W_k × H_k × C_in use (W_k·H_k·C_in + 1)·C_out parameters. */
export const convParams: RecipeDefinition = {
  name: 'conv-params',
  description: 'parameters of a convolutional layer: the slide’s formula against what tfjs counts',
  reproduces: 'A layer of C_out kernels W_k × H_k × C_in uses (W_k·H_k·C_in + 1)·C_out parameters.',
  async run() {
    const rows = SHAPES.map(([w, h, cin, cout]) => {
      const formula = (w * h * cin + 1) * cout;
      const layer = tf.layers.conv2d({ filters: cout, kernelSize: [h, w], inputShape: [32, 32, cin] });
      const model = tf.sequential({ layers: [layer] });
      const counted = model.countParams();
      model.dispose();
      return row(`${w}×${h}×${cin} → ${cout}`, formula.toLocaleString('en-US'), counted.toLocaleString('en-US'), counted === formula);
    });
    const matches = rows.filter((r) => r.ok).length;
    return {
      rows,
      figures: [],
      settings: {
        shapes: SHAPES.map(([w, h, cin, cout]) => ({ kernel: [w, h], inputChannels: cin, outputChannels: cout })),
        inputShape: [32, 32],
      },
      summary: `equal to tfjs's own count for ${matches} of ${SHAPES.length} layer shapes (LeNet-5's C1 ${rows[0]!.measured}, C3 ${rows[1]!.measured}, …)`,
    };
  },
};
