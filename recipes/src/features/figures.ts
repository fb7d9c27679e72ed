import { diverging, imageGrid, ink, type RgbImage, type Tile } from '@nnkit/viz';
import { cropWindow, type ReceptiveField } from './maps.js';
import type { Maximized } from './activation-maximization.js';
import type { Patch } from './top-patches.js';

/** Screen pixels per input pixel, so that a layer's windows come out about 60 pixels wide whatever their size. */
function scaleFor(size: number): number {
  return Math.max(2, Math.round(60 / size));
}

/** The first channel of (size × size × C) values: MNIST is grey, and a colour picture would need an RGB grid. */
function firstChannel(values: Float32Array, pixels: number, channels: number): Float32Array {
  return channels === 1 ? values : Float32Array.from({ length: pixels }, (_, i) => values[i * channels]!);
}

/** One row per unit, its top patches left to right (strongest first), each cropped to the receptive field. */
export function patchGrid(patches: readonly (readonly Patch[])[], field: ReceptiveField, channels = 1): RgbImage {
  const columns = Math.max(1, ...patches.map((p) => p.length));
  const tiles: Tile[] = [];
  for (const row of patches) {
    for (let i = 0; i < columns; i++) {
      const patch = row[i];
      tiles.push({ values: patch ? firstChannel(patch.pixels, field.size * field.size, channels) : new Float32Array(field.size * field.size), width: field.size, height: field.size });
    }
  }
  return imageGrid(tiles, { columns, scale: scaleFor(field.size), colormap: ink, range: [0, 1] });
}

/** Each unit's maximizing input, cut to the window of the unit it excited (the centre of the map). */
export function maximizedGrid(results: readonly Maximized[], shape: readonly [number, number, number], field: ReceptiveField, centre: readonly [number, number]): RgbImage {
  const tiles = results.map((r) => ({
    values: firstChannel(cropWindow(r.image, shape, 0, centre[0], centre[1], field), field.size * field.size, shape[2]),
    width: field.size,
    height: field.size,
  }));
  return imageGrid(tiles, { columns: Math.min(8, tiles.length), scale: scaleFor(field.size), colormap: ink, range: [0, 1] });
}

/**
 * A first layer's kernels (k, k, inputs, n) as n pictures (input channel 0): red positive, blue negative, white
 * zero, one scale for all.
 */
export function filterGrid(kernel: Float32Array, [size, , inputs, count]: readonly [number, number, number, number]): RgbImage {
  const limit = Math.max(...Array.from(kernel, Math.abs)) || 1;
  const tiles = Array.from({ length: count }, (_, f) => ({ values: Array.from({ length: size * size }, (_, p) => kernel[p * inputs * count + f]!), width: size, height: size }));
  return imageGrid(tiles, { columns: Math.min(8, count), scale: Math.max(6, Math.round(48 / size)), colormap: diverging, range: [-limit, limit] });
}
