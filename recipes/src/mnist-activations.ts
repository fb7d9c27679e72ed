import * as tf from '@tensorflow/tfjs';
import type { RecipeDefinition, RecipeOptions, SupervisedData } from '@nnkit/core';
import { saveModel } from '@nnkit/train';
import { barFigure, imageGridFigure, ink, viridis, writeFigure } from '@nnkit/viz';
import { trainLeNet } from './lenet5-mnist.js';
import { figurePath, nnkitCommand, row, writeGreyPng } from './report.js';

/** How each layer's output is laid out as tiles: feature maps as images, vectors as a short grid. */
function tilesOf(activation: tf.Tensor, values: Float32Array) {
  if (activation.rank === 4) {
    const [, h, w, c] = activation.shape as [number, number, number, number];
    return Array.from({ length: c }, (_, k) => ({
      values: Array.from({ length: h * w }, (_, p) => values[p * c + k]!),
      width: w,
      height: h,
      ...(c > 1 && { caption: `map ${k + 1}` }),
    }));
  }
  const n = activation.shape[1]!;
  const width = Math.min(n, 12);
  return [
    {
      values: Array.from({ length: Math.ceil(n / width) * width }, (_, i) => values[i] ?? 0),
      width,
      height: Math.ceil(n / width),
    },
  ];
}

/** What each of LeNet-5's layers is, for the figures' titles. */
const LAYERS: Record<string, string> = {
  input: 'the input digit, padded to 32×32',
  C1: 'C1: 6 convolutions 5×5',
  S2: 'S2: pooling 2×2',
  C3: 'C3: 16 convolutions 5×5',
  S4: 'S4: pooling 2×2',
  C5: 'C5: 120 units',
  F6: 'F6: 84 units',
};

/** How a layer's output is shown: `6 maps of 28×28`, or the values of a vector in rows of 12. */
function shapeOf(tensor: tf.Tensor): string {
  const [, ...rest] = tensor.shape;
  return rest.length === 3
    ? `${rest[2]} map${rest[2] === 1 ? '' : 's'} of ${rest[0]}×${rest[1]}`
    : `its ${rest[0]} values in rows of 12, left to right`;
}

/** The lecture's "visualization of a trained network for MNIST" (Harley's flat view): every layer's activations for one digit. */
export const mnistActivations: RecipeDefinition = {
  name: 'mnist-activations',
  description: 'every layer of a trained LeNet-5 for one test digit, as pictures',
  reproduces: 'The slide shows each layer of a trained MNIST network responding to one digit (scs.ryerson.ca/~aharley/vis/conv/flat.html).',
  async run(options: RecipeOptions, { kit }) {
    const data = await kit.loadDataset<SupervisedData>('datasets/mnist', {
      trainLimit: options.quick ? 10_000 : 55_000,
      testLimit: 10,
    });
    try {
      const { instance, testAccuracy } = await trainLeNet(kit, data, 'modern', options.quick ? 1 : 3);
      const digit = tf.slice(data.test!.xs, 0, 1);
      const activations = instance.model.activations(digit);
      const figures: string[] = [];
      const probabilities = Array.from(await tf.softmax(activations.at(-1)!.tensor).data());
      const label = ((await data.test!.ys.data()) as Float32Array).subarray(0, 10).indexOf(1);
      const predicted = probabilities.indexOf(Math.max(...probabilities));
      for (const [index, { name, tensor }] of activations.entries()) {
        const path = figurePath(options, 'mnist-activations', `${index}-${name}.png`);
        if (name === 'output') {
          // The answer: the probability of each digit.
          figures.push(
            await writeFigure(
              path,
              barFigure({
                title: `output: what LeNet-5 says for this digit (a ${label})`,
                subtitle: 'softmax of the 10 output units',
                bars: probabilities.map((p, d) => ({
                  label: String(d),
                  value: p,
                  group: d === predicted ? `its answer: ${predicted}` : 'the other digits',
                })),
                x: { title: 'digit' },
                y: { title: 'probability', domain: [0, 1] },
                legend: 'output',
                text: '.2f',
                colors: {
                  [`its answer: ${predicted}`]: predicted === label ? '#2ca02c' : '#d62728',
                  'the other digits': '#1f77b4',
                },
              }),
            ),
          );
          continue;
        }
        const values = (await tensor.data()) as Float32Array;
        const tiles = tilesOf(tensor, values);
        const scale = tensor.rank === 4 ? Math.max(2, Math.floor(96 / tensor.shape[1]!)) : 12;
        const input = name === 'input';
        figures.push(
          await writeFigure(
            path,
            imageGridFigure({
              title: tensor.rank === 4 && !input ? `${LAYERS[name] ?? name}: ${shapeOf(tensor)}` : (LAYERS[name] ?? name),
              subtitle: input
                ? `test digit 1 (a ${label})`
                : [
                    `its response to test digit 1 (a ${label}); a ReLU network, so 0 means silent`,
                    ...(tensor.rank === 4 ? [] : [shapeOf(tensor)]),
                  ],
              tiles,
              columns: Math.min(8, tiles.length),
              scale,
              colormap: input ? ink : viridis,
              ...(input ? { range: [0, 1] as const, colorbar: { title: 'ink' } } : { colorbar: { title: 'activation' } }),
            }),
          ),
        );
      }
      tf.dispose([digit, ...activations.map((a) => a.tensor)]);
      // Kept, with the digit drawn: `nnkit predict` answers for it as the figures do.
      const modelDir = figurePath(options, 'mnist-activations', 'model');
      const saved = await saveModel(modelDir, instance, { dataset: { key: 'datasets/mnist', options: {} } }).finally(() =>
        instance.model.dispose!(),
      );
      const picture = writeGreyPng(
        figurePath(options, 'mnist-activations', `test-digit-${label}.png`),
        ((await data.test!.xs.data()) as Float32Array).subarray(0, 784),
        28,
        28,
      );
      return {
        rows: [
          row('layers drawn', 'input, C1, S2, C3, S4, C5, F6, output', activations.map((a) => a.name).join(', ')),
          row(
            'the digit and what the network says',
            `a ${label}`,
            `${predicted} (p = ${probabilities[predicted]!.toFixed(3)}; right on ${(100 * testAccuracy).toFixed(0)}% of the first ${data.test!.xs.shape[0]} test digits)`,
            predicted === label,
          ),
        ],
        figures,
        details: { model: saved, digit: picture, commands: [nnkitCommand('predict', modelDir, picture)] },
        settings: {
          trainingDigits: data.train.xs.shape[0],
          epochs: options.quick ? 1 : 3,
          preset: 'modern',
          digit: 'the first test digit',
          seed: kit.random.seed,
        },
        summary: `one PNG per layer (input, C1, S2, C3, S4, C5, F6, output) for test digit 1 (a ${label}), which a LeNet-5 trained for ${options.quick ? 1 : 3} epoch(s) reads as ${predicted} (p = ${probabilities[predicted]!.toFixed(3)})`,
      };
    } finally {
      data.dispose();
    }
  },
};
