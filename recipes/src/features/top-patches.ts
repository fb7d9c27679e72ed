import * as tf from '@tensorflow/tfjs';
import type { ImageEncoder } from '@nnkit/core';
import { cropWindow, encodeMap, mapShape, type ReceptiveField } from './maps.js';

/** One of a unit's strongest responses: which image, where on the map, how strong, and the input window it saw. */
export interface Patch {
  readonly image: number;
  readonly row: number;
  readonly col: number;
  readonly value: number;
  /** The unit's receptive field cut out of the image: size × size × channels, zero past the image's border. */
  readonly pixels: Float32Array;
}

export interface TopPatchOptions {
  /** Patches per unit (default 9, Zeiler & Fergus 2014's 3×3). */
  readonly count?: number;
  /** Where a unit looks (computed or measured). */
  readonly field: ReceptiveField;
  /** Images encoded at once (default 250). */
  readonly batchSize?: number;
}

/** One of a unit's strongest responses, before its window is cut out. */
export type Response = Omit<Patch, 'pixels'>;

/**
 * For every channel of `encoder`'s map: the `count` images of `images` on which some unit of that channel responds
 * most (one position per image: where that channel is largest in it), strongest first (Zeiler & Fergus 2014,
 * figure 2: "the top 9 activations in a random subset of feature maps").
 */
export async function strongestResponses(
  encoder: ImageEncoder,
  images: tf.Tensor4D,
  { count = 9, batchSize = 250 } = {},
): Promise<Response[][]> {
  const n = images.shape[0];
  const [h, w, channels] = mapShape(encoder);
  const best: Response[][] = Array.from({ length: channels }, () => []);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [maxima, where] = tf.tidy(() => {
      const map = tf.reshape(encodeMap(encoder, tf.slice(images, start, size)), [size, h * w, channels]);
      return [tf.max(map, 1), tf.argMax(map, 1)]; // (size, channels): each channel's largest response in each image, and where
    });
    const [values, positions] = await Promise.all([maxima.data(), where.data()]);
    tf.dispose([maxima, where]);
    for (let i = 0; i < size; i++) {
      for (let c = 0; c < channels; c++) {
        const value = values[i * channels + c]!;
        const kept = best[c]!;
        if (kept.length === count && value <= kept[count - 1]!.value) continue;
        const position = positions[i * channels + c]!;
        kept.push({ image: start + i, row: Math.floor(position / w), col: position % w, value });
        kept.sort((a, b) => b.value - a.value || a.image - b.image);
        if (kept.length > count) kept.pop();
      }
    }
  }
  return best;
}

/** Each response with the input window its unit sees, cut out of `images` (the pixels themselves, not a deconvolution). */
export async function cropResponses(
  responses: readonly (readonly Response[])[],
  images: tf.Tensor4D,
  field: ReceptiveField,
): Promise<Patch[][]> {
  const [, H, W, C] = images.shape;
  const pixels = (await images.data()) as Float32Array;
  return responses.map((kept) => kept.map((r) => ({ ...r, pixels: cropWindow(pixels, [H, W, C], r.image, r.row, r.col, field) })));
}

/** `strongestResponses`, each cropped to the receptive field `field`. */
export async function topPatches(encoder: ImageEncoder, images: tf.Tensor4D, options: TopPatchOptions): Promise<Patch[][]> {
  return cropResponses(await strongestResponses(encoder, images, options), images, options.field);
}
