import { diverging, imageGridFigure, ink, type Figure, type FigureTile } from '@nnkit/viz';
import { cropWindow, type ReceptiveField } from './maps.js';
import type { Maximized } from './activation-maximization.js';
import type { Patch } from './top-patches.js';

// The pictures of a layer study, as figures (a title, numbered units, the layer and its receptive field named, a
// colour bar for what the colours mean). Each value is a square block of one colour: a 3×3 window stays 3×3.

/** CSS pixels per input pixel, so that a layer's windows come out about `target` pixels wide whatever their size. */
function scaleFor(size: number, target: number): number {
  return Math.max(2, Math.round(target / size));
}

/** The first channel of (size × size × C) values: MNIST is grey, and a colour picture would need an RGB grid. */
function firstChannel(values: Float32Array, pixels: number, channels: number): Float32Array {
  return channels === 1 ? values : Float32Array.from({ length: pixels }, (_, i) => values[i * channels]!);
}

/** "conv2, receptive field 8×8 px moving 2 px per unit": what every figure of a layer says under its title. */
export function fieldLine(layer: string, field: ReceptiveField): string {
  return `${layer}: receptive field ${field.size}×${field.size} input pixels, moving ${field.stride} px from one unit to the next`;
}

/** Ink values of input pixels, as the datasets give them: 0 paper, 1 ink. */
const PIXELS = { colormap: ink, range: [0, 1] as const, colorbar: { title: 'input pixel (0 paper, 1 ink)' } };

/**
 * One row per unit (labelled with its channel), its top patches left to right, strongest first, each cropped to
 * the receptive field and captioned with the activation it gave.
 */
export function patchFigure(
  layer: string,
  units: readonly number[],
  patches: readonly (readonly Patch[])[],
  field: ReceptiveField,
  channels = 1,
): Figure {
  const columns = Math.max(1, ...patches.map((p) => p.length));
  const tiles: FigureTile[] = [];
  for (const row of patches) {
    for (let i = 0; i < columns; i++) {
      const patch = row[i];
      tiles.push({
        values: patch ? firstChannel(patch.pixels, field.size * field.size, channels) : new Float32Array(field.size * field.size),
        width: field.size,
        height: field.size,
        caption: patch ? patch.value.toPrecision(3) : '—',
      });
    }
  }
  return imageGridFigure({
    title: `${layer}: the inputs its units respond to most (top ${columns} patches of ${units.length} units)`,
    subtitle: [
      fieldLine(layer, field),
      `each row one unit (channel number at the left), strongest first, from the test digits; under each patch: the unit's activation on it`,
    ],
    tiles,
    columns,
    rowLabels: units.map((u) => `unit ${u}`),
    scale: scaleFor(field.size, 48),
    ...PIXELS,
  });
}

/** Each unit's maximizing input, cut to the window of the unit it excited (the centre of the map), large enough to read. */
export function maximizedFigure(
  layer: string,
  results: readonly Maximized[],
  shape: readonly [number, number, number],
  field: ReceptiveField,
  centre: readonly [number, number],
  steps?: number,
): Figure {
  const tiles = results.map((r) => ({
    values: firstChannel(cropWindow(r.image, shape, 0, centre[0], centre[1], field), field.size * field.size, shape[2]),
    width: field.size,
    height: field.size,
    caption: `unit ${r.channel}: ${r.before.toPrecision(2)} → ${r.after.toPrecision(3)}`,
  }));
  return imageGridFigure({
    title: `${layer}: activation maximization, the input each unit likes best`,
    subtitle: [
      fieldLine(layer, field),
      `gradient ascent${steps !== undefined ? ` (${steps} steps)` : ''} from a faint random start, cut to the centre unit's field; under each: its activation at the start → at the end`,
    ],
    tiles,
    columns: Math.min(4, tiles.length),
    scale: scaleFor(field.size, 120),
    ...PIXELS,
  });
}

/**
 * A first layer's kernels (k, k, inputs, n) as n pictures (input channel 0) on one diverging scale: red positive,
 * blue negative, white zero (marked on the colour bar).
 */
export function filterFigure(
  layer: string,
  kernel: Float32Array,
  [size, , inputs, count]: readonly [number, number, number, number],
): Figure {
  const limit = Math.max(...Array.from(kernel, Math.abs)) || 1;
  const tiles = Array.from({ length: count }, (_, f) => ({
    values: Array.from({ length: size * size }, (_, p) => kernel[p * inputs * count + f]!),
    width: size,
    height: size,
    caption: `filter ${f}`,
  }));
  return imageGridFigure({
    title: `${layer}: its ${count} filters (${size}×${size} kernels${inputs > 1 ? ', input channel 0' : ''})`,
    subtitle: `${layer}: receptive field ${size}×${size} input pixels; red weighs ink up, blue weighs it down, white is zero`,
    tiles,
    columns: Math.min(8, count),
    scale: Math.max(8, Math.round(64 / size)),
    colormap: diverging,
    range: [-limit, limit],
    colorbar: { title: 'weight' },
  });
}
