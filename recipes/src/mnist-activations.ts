import * as tf from '@tensorflow/tfjs';
import type { RecipeDefinition, RecipeOptions, SupervisedData } from '@nnkit/core';
import { imageGrid, ink, labelledHeatmap, viridis, writePng } from '@nnkit/viz';
import { trainLeNet } from './lenet5-mnist.js';
import { figurePath, row } from './report.js';

/** How each layer's output is laid out as tiles: feature maps as images, vectors as a short grid. */
function tilesOf(activation: tf.Tensor, values: Float32Array) {
  if (activation.rank === 4) {
    const [, h, w, c] = activation.shape as [number, number, number, number];
    return Array.from({ length: c }, (_, k) => ({ values: Array.from({ length: h * w }, (_, p) => values[p * c + k]!), width: w, height: h }));
  }
  const n = activation.shape[1]!;
  const width = Math.min(n, 12);
  return [{ values: Array.from({ length: Math.ceil(n / width) * width }, (_, i) => values[i] ?? 0), width, height: Math.ceil(n / width) }];
}

/** The lecture's "visualization of a trained network for MNIST" (Harley's flat view): every layer's activations for one digit. */
export const mnistActivations: RecipeDefinition = {
  name: 'mnist-activations',
  description: 'every layer of a trained LeNet-5 for one test digit, as pictures',
  reproduces: 'The slide shows each layer of a trained MNIST network responding to one digit (scs.ryerson.ca/~aharley/vis/conv/flat.html).',
  async run(options: RecipeOptions, { kit }) {
    const data = await kit.loadDataset<SupervisedData>('datasets/mnist', { trainLimit: options.quick ? 10_000 : 55_000, testLimit: 10 });
    try {
      const { instance, testAccuracy } = await trainLeNet(kit, data, 'modern', options.quick ? 1 : 3);
      const digit = tf.slice(data.test!.xs, 0, 1);
      const activations = instance.model.activations(digit);
      const figures: string[] = [];
      const probabilities = Array.from(await tf.softmax(activations.at(-1)!.tensor).data());
      for (const [index, { name, tensor }] of activations.entries()) {
        if (name === 'output') {
          // The answer: the probability of each digit, labelled.
          const digits = Array.from({ length: 10 }, (_, d) => String(d));
          figures.push(writePng(figurePath(options, 'mnist-activations', `${index}-${name}.png`), labelledHeatmap(probabilities, [''], digits, { scale: 24, colormap: viridis, range: [0, 1] })));
          continue;
        }
        const values = (await tensor.data()) as Float32Array;
        const tiles = tilesOf(tensor, values);
        const scale = tensor.rank === 4 ? Math.max(2, Math.floor(96 / tensor.shape[1]!)) : 12;
        figures.push(writePng(figurePath(options, 'mnist-activations', `${index}-${name}.png`), imageGrid(tiles, { columns: Math.min(8, tiles.length), scale, colormap: name === 'input' ? ink : viridis })));
      }
      const label = Array.from(await tf.argMax(tf.slice(data.test!.ys, 0, 1), 1).data())[0]!;
      const predicted = probabilities.indexOf(Math.max(...probabilities));
      tf.dispose([digit, ...activations.map((a) => a.tensor)]);
      instance.model.dispose!();
      return {
        rows: [
          row('layers drawn', 'input, C1, S2, C3, S4, C5, F6, output', activations.map((a) => a.name).join(', ')),
          row('the digit and what the network says', `a ${label}`, `${predicted} (p = ${probabilities[predicted]!.toFixed(3)}; test accuracy of this quick model ${(100 * testAccuracy).toFixed(1)}%)`, predicted === label),
        ],
        figures,
      };
    } finally {
      data.dispose();
    }
  },
};
