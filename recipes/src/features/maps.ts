import * as tf from '@tensorflow/tfjs';
import { ShapeError, type ImageEncoder } from '@nnkit/core';

/**
 * Where a unit of a feature map looks in the input: the unit at (row i, column j) sees input rows
 * `offset + i·stride … offset + i·stride + size − 1` (and those columns); rows outside the image are padding.
 * The same shape as `@nnkit/plugin-cnn-features`'s `ReceptiveField`, so its encoders' computed fields fit here.
 */
export interface ReceptiveField {
  readonly size: number;
  readonly stride: number;
  readonly offset: number;
}

/** One unit of a map: a channel at a position. */
export interface UnitAt {
  readonly channel: number;
  readonly row: number;
  readonly col: number;
}

/**
 * An encoder's features as a map (height, width, channels): a spatial encoder's own shape, and a vector encoder's
 * (d) as a 1×1 map of d units (LeNet-5's 120 features each see the whole image).
 */
export function mapShape(encoder: ImageEncoder): [number, number, number] {
  const shape = encoder.outputShape;
  if (shape.length === 3) return [shape[0]!, shape[1]!, shape[2]!];
  if (shape.length === 1) return [1, 1, shape[0]!];
  throw new ShapeError(
    `Feature visualization expects an encoder whose outputShape is (height, width, channels) or (features), got [${shape.join(', ')}].`,
  );
}

/** `encoder.encode(images)` as (n, h, w, c). Call inside a tidy. */
export function encodeMap(encoder: ImageEncoder, images: tf.Tensor4D): tf.Tensor4D {
  const [h, w, c] = mapShape(encoder);
  return tf.reshape(encoder.encode(images), [-1, h, w, c]);
}

/** The receptive field an encoder states about itself (the cnn-features encoders do), if it states one. */
export function statedField(encoder: ImageEncoder): ReceptiveField | undefined {
  const field = (encoder as { receptiveField?: ReceptiveField }).receptiveField;
  return field && Number.isInteger(field.size) && Number.isInteger(field.stride) && Number.isInteger(field.offset) ? field : undefined;
}

/** A one-hot (n, h, w, c) mask that picks unit `units[i]` of example i: sum(map · mask) is the sum of those units. */
export function unitMask(shape: readonly [number, number, number], units: readonly UnitAt[]): tf.Tensor4D {
  const [h, w, c] = shape;
  const mask = tf.buffer([units.length, h, w, c], 'float32');
  units.forEach(({ channel, row, col }, i) => mask.set(1, i, row, col, channel));
  return mask.toTensor() as tf.Tensor4D;
}

/** ∂(unit of example i)/∂(input i) for every example: (n, H, W, C). Each example's unit depends only on its own input. */
export function unitGradients(encoder: ImageEncoder, inputs: tf.Tensor4D, units: readonly UnitAt[]): tf.Tensor4D {
  return tf.tidy(() => {
    const mask = unitMask(mapShape(encoder), units);
    return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(encodeMap(encoder, x as tf.Tensor4D), mask)))(inputs) as tf.Tensor4D;
  });
}

/** The activation of unit `units[i]` on example i, for every example. */
export async function unitActivations(encoder: ImageEncoder, inputs: tf.Tensor4D, units: readonly UnitAt[]): Promise<number[]> {
  const values = tf.tidy(() => tf.sum(tf.mul(encodeMap(encoder, inputs), unitMask(mapShape(encoder), units)), [1, 2, 3]));
  const result = Array.from(await values.data());
  values.dispose();
  return result;
}

/**
 * Calls `copy` for every value of the window the unit at (row, col) sees that lies on an H × W × C image, with its
 * offset in the size × size × C window and its offset in the image (both row-major). Values past the edge are skipped.
 */
function forEachWindowValue(
  shape: readonly [number, number, number],
  row: number,
  col: number,
  field: ReceptiveField,
  copy: (inWindow: number, inImage: number) => void,
): void {
  const [H, W, C] = shape;
  const { size, stride, offset } = field;
  const [top, left] = [offset + row * stride, offset + col * stride];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [sy, sx] = [top + y, left + x];
      if (sy < 0 || sy >= H || sx < 0 || sx >= W) continue;
      for (let c = 0; c < C; c++) copy((y * size + x) * C + c, (sy * W + sx) * C + c);
    }
  }
}

/**
 * The input window a unit sees, copied out of `images` (row-major, (n, H, W, C)): size × size × C values, zero
 * where the window reaches past the image (as the 'same' padding of a digit's black background).
 */
export function cropWindow(
  images: Float32Array,
  shape: readonly [number, number, number],
  image: number,
  row: number,
  col: number,
  field: ReceptiveField,
): Float32Array {
  const crop = new Float32Array(field.size * field.size * shape[2]);
  const start = image * shape[0] * shape[1] * shape[2];
  forEachWindowValue(shape, row, col, field, (inWindow, inImage) => (crop[inWindow] = images[start + inImage]!));
  return crop;
}

/** A crop put back where it came from on a blank image (H, W, C): the unit sees exactly what it saw. */
export function pasteWindow(
  crop: Float32Array,
  shape: readonly [number, number, number],
  row: number,
  col: number,
  field: ReceptiveField,
): Float32Array {
  const image = new Float32Array(shape[0] * shape[1] * shape[2]);
  forEachWindowValue(shape, row, col, field, (inWindow, inImage) => (image[inImage] = crop[inWindow]!));
  return image;
}
