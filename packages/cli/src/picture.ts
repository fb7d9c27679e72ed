import { DataError } from '@nnkit/core';
import { readPng, type GreyImage } from '@nnkit/viz';

/** A PNG as grey levels in [0, 1]; a missing, truncated or oversized file is a DataError (exit 1) naming it. */
export function readPicture(file: string): GreyImage {
  try {
    return readPng(file);
  } catch (error) {
    throw new DataError((error as Error).message, { cause: error });
  }
}

/**
 * The picture as the datasets draw theirs: light ink on black in [0, 1]. A picture that is mostly light is taken to be
 * dark ink on paper and inverted.
 */
export function asInk(image: GreyImage): { pixels: Float32Array; inverted: boolean } {
  const mean = image.grey.reduce((a, b) => a + b, 0) / image.grey.length;
  return mean > 0.5 ? { pixels: image.grey.map((v) => 1 - v), inverted: true } : { pixels: Float32Array.from(image.grey), inverted: false };
}
