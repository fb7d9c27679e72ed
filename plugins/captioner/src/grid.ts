import { ConfigError, type ImageEncoder } from '@nnkit/core';

/** Where the encoder's positions are: `rows` × `columns` of them, each a `depth`-vector, each seeing a square of the image. */
export interface Grid {
  readonly rows: number;
  readonly columns: number;
  readonly positions: number;
  readonly depth: number;
  /** The image square position (r, c) sees starts at (offset + r·stride, offset + c·stride) and is `size` wide. */
  readonly field: { readonly size: number; readonly stride: number; readonly offset: number };
}

/**
 * The encoder's output as a grid to attend over: (h, w, d) is h·w positions; a vector (d) is one position that sees
 * the whole image (attention over it is trivially 1). Refuses an encoder built for other images than the data's.
 */
export function gridOf(encoder: ImageEncoder, imageShape: readonly number[], name: string): Grid {
  if (encoder.inputShape.length !== 3 || encoder.inputShape.some((size, i) => size !== imageShape[i])) {
    throw new ConfigError(
      `Encoder '${name}' takes images of shape [${encoder.inputShape}], but the captioner's are [${imageShape}] (imageHeight, imageWidth, imageChannels). ` +
        'Use an encoder that takes any size (cnn-features/conv3) or images of its shape.',
      'encoder',
    );
  }
  const shape = encoder.outputShape;
  if (shape.length === 1) {
    return {
      rows: 1,
      columns: 1,
      positions: 1,
      depth: shape[0]!,
      field: { size: Math.max(imageShape[0]!, imageShape[1]!), stride: 1, offset: 0 },
    };
  }
  if (shape.length !== 3) {
    throw new ConfigError(
      `Encoder '${name}' gives features of shape [${shape}]; the captioner expects a grid (height, width, depth) or a vector (depth).`,
      'encoder',
    );
  }
  const [rows, columns, depth] = shape as [number, number, number];
  // Without a measured receptive field, a position is taken to see its own cell of an even split of the image.
  const stride = imageShape[0]! / rows;
  return {
    rows,
    columns,
    positions: rows * columns,
    depth,
    field: encoder.receptiveField ?? { size: stride, stride, offset: 0 },
  };
}

/**
 * Where each position is, as 2-D sine–cosine features (the row in the first half of the channels, the column in the
 * second, at geometrically spaced frequencies, as MAE's fixed position embeddings): positions close on the grid get
 * similar vectors from the start, so attention can learn "the next digit to the right" without first learning what
 * the 196 positions mean. Half amplitude, so the image's features still dominate.
 */
export function positionEncoding({ rows, columns, depth }: Pick<Grid, 'rows' | 'columns' | 'depth'>): Float32Array {
  const table = new Float32Array(rows * columns * depth);
  const half = Math.floor(depth / 2);
  const pairs = Math.max(1, Math.floor(half / 2));
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const row = table.subarray((r * columns + c) * depth, (r * columns + c + 1) * depth);
      for (let k = 0; k < depth; k++) {
        const [coordinate, channel] = k < half ? [r, k] : [c, k - half];
        const frequency = 1 / 100 ** (Math.floor(channel / 2) / pairs);
        row[k] = 0.5 * (channel % 2 === 0 ? Math.sin(coordinate * frequency) : Math.cos(coordinate * frequency));
      }
    }
  }
  return table;
}
