import * as tf from '@tensorflow/tfjs';
import type { ImageEncoder, WeightMap } from '@nnkit/core';
import { trainableVariable } from '@nnkit/ops';
import { positionEncoding, type Grid } from './grid.js';

export interface GridReader {
  /** `attention/position` with attention; none without. */
  readonly weights: WeightMap;
  /** Images (batch, height, width, channels) → the annotations a_1 … a_L, (batch, L, D): the grid flattened row by row. */
  annotate(images: tf.Tensor4D): tf.Tensor3D;
}

/**
 * The encoder's output as annotations to attend over (Xu et al. 2015's a_i): a grid flattened row by row, a vector as
 * one position. A soft-attention context says what the attended positions hold but not where they are, and a caption
 * that says "top left" or "left of" needs both: with attention each position gets a vector added to its features,
 * starting from a 2-D sine–cosine code of its place and trained with the rest. Without attention the whole grid is
 * read in order, which already tells where.
 */
export function createGridReader(encoder: ImageEncoder, grid: Grid, { withPositions }: { withPositions: boolean }): GridReader {
  const { positions, depth } = grid;
  const where = withPositions ? trainableVariable(tf.tensor2d(positionEncoding(grid), [positions, depth])) : undefined;
  return {
    weights: where ? { 'attention/position': where } : {},
    annotate(images) {
      const annotations = tf.reshape(encoder.encode(images), [images.shape[0], positions, depth]) as tf.Tensor3D;
      return where ? tf.add(annotations, where) : annotations;
    },
  };
}
