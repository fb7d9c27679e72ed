import * as tf from '@tensorflow/tfjs';
import type { RecipeDefinition, RecipeOptions } from '@nnkit/core';
import { imageGridFigure, viridis, writeFigure } from '@nnkit/viz';
import { figurePath, row } from './report.js';

/**
 * The receptive field of the centre output after `layers` 3×3 convolutions (weights all 1, so nothing cancels),
 * measured: the rows and columns of the input where ∂(centre output)/∂(input) is non-zero.
 * `strides[i]` is layer i's stride. Returns the support's side and the gradient (size × size).
 */
export function measureReceptiveField(
  layers: number,
  strides: (layer: number) => number,
  size: number,
): { side: number; gradient: Float32Array } {
  const gradient = tf.tidy(() => {
    const kernel = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
    const centreOutput = (x: tf.Tensor) => {
      let y = x as tf.Tensor4D;
      for (let i = 0; i < layers; i++) y = tf.conv2d(y, kernel, strides(i), 'same');
      const [h, w] = [y.shape[1], y.shape[2]];
      return tf.slice(y, [0, Math.floor(h / 2), Math.floor(w / 2), 0], [1, 1, 1, 1]).sum();
    };
    return tf
      .grad(centreOutput)(tf.zeros([1, size, size, 1]))
      .dataSync() as Float32Array;
  });
  const rows = new Set<number>();
  gradient.forEach((g, i) => g !== 0 && rows.add(Math.floor(i / size)));
  return { side: rows.size, gradient };
}

/**
 * How far influence spreads through `layers` 3×3 stride-1 layers, counted without float32 limits: the support
 * of the gradient is the set of inputs connected to the centre, which a 3×3 max-pool "dilation" of a single
 * point grows exactly as a 3×3 convolution does (the gradient itself under- and overflows at 150 layers).
 */
function spreadOfOnePoint(layers: number, size: number): number {
  return tf.tidy(() => {
    const map = tf.buffer([1, size, size, 1]);
    map.set(1, 0, Math.floor(size / 2), Math.floor(size / 2), 0);
    let x = map.toTensor() as tf.Tensor4D;
    for (let i = 0; i < layers; i++) x = tf.maxPool(x, 3, 1, 'same');
    const column = tf.max(x, [0, 2, 3]).dataSync();
    return column.filter((v) => v > 0).length;
  });
}

export const receptiveField: RecipeDefinition = {
  name: 'receptive-field',
  description: 'the receptive field of stacked 3×3 convolutions, measured from the gradient, with and without stride 2',
  reproduces: 'N stacked 3×3 layers see (2N+1)×(2N+1); a 300×300 object needs 150 layers; stride 2 grows the field much faster.',
  async run(options: RecipeOptions) {
    const depths = options.quick ? [1, 2, 3, 4] : [1, 2, 3, 4, 5, 6, 8, 10];
    const stride1 = depths.map((n) => ({ n, ...measureReceptiveField(n, () => 1, 2 * Math.max(...depths) + 9) }));
    const strided = [1, 2, 3, 4].map((n) => ({ n, ...measureReceptiveField(n, () => 2, 64) }));
    const deep = spreadOfOnePoint(150, 305);
    const size = 2 * Math.max(...depths) + 9;
    const figure = await writeFigure(
      figurePath(options, 'receptive-field', 'stride1-support.png'),
      imageGridFigure({
        title: 'Receptive field of the centre output after N stacked 3×3 convolutions (stride 1)',
        subtitle: [
          `∂(centre output)/∂(input) on a ${size}×${size} input, every weight 1; its non-zero support is (2N+1)×(2N+1)`,
          'each pixel is one input position',
        ],
        tiles: stride1.map(({ n, side, gradient }) => ({
          values: Array.from(gradient, (g) => (g > 0 ? Math.log1p(g) : 0)),
          width: size,
          height: size,
          caption: `N = ${n}: ${side}×${side}`,
        })),
        columns: Math.min(4, stride1.length),
        scale: 6,
        colormap: viridis,
        colorbar: { title: 'log(1 + ∂y/∂x)' },
      }),
    );
    const strideTwo = strided.map(({ side }) => side).join(', ');
    return {
      rows: [
        ...stride1.map(({ n, side }) =>
          row(`${n} layer${n > 1 ? 's' : ''} of 3×3, stride 1`, `${2 * n + 1}×${2 * n + 1}`, `${side}×${side}`, side === 2 * n + 1),
        ),
        row(
          'layers of 3×3 to see a 300×300 object',
          '150 (2·150+1 = 301)',
          `150 layers reach ${deep}×${deep}`,
          deep >= 300 && spreadOfOnePoint(149, 305) < 300,
        ),
        ...strided.map(({ n, side }) =>
          row(
            `${n} layer${n > 1 ? 's' : ''} of 3×3, stride 2`,
            `grows faster: ${2 ** (n + 1) - 1}×${2 ** (n + 1) - 1}`,
            `${side}×${side}`,
            side === 2 ** (n + 1) - 1,
          ),
        ),
      ],
      figures: [figure],
      settings: {
        depths,
        inputSize: size,
        strided: { depths: [1, 2, 3, 4], inputSize: 64 },
        deep: { layers: 150, inputSize: 305 },
      },
      summary:
        `measured as the non-zero support of ∂(centre output)/∂input: ${stride1.map(({ side }) => side).join(', ')} for N = ${depths.join(', ')}; ` +
        `150 layers reach ${deep}×${deep} (149 do not reach 300); stride 2: ${strideTwo}. Picture: \`stride1-support.png\``,
    };
  },
};
