import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ImageEncoder } from '@nnkit/core';
import { writeFigure } from '@nnkit/viz';
import { maximizeActivation, type Maximized } from './activation-maximization.js';
import { filterFigure, maximizedFigure, patchFigure } from './figures.js';
import { mapShape, pasteWindow, statedField, unitActivations, type ReceptiveField, type UnitAt } from './maps.js';
import { measureField, relevantAreas, type MeasuredField } from './measure.js';
import { cropResponses, strongestResponses, type Patch } from './top-patches.js';

export interface StudySettings {
  /** Units (channels) to study: the layer's strongest, by the mean of their top responses. */
  readonly units: number;
  /** Top patches per unit (default 9). */
  readonly count?: number;
  /** Inputs whose gradients are joined to measure the receptive field: half of them test digits, half noise. */
  readonly fieldInputs: number;
  /** Gradient-ascent steps of activation maximization. */
  readonly steps: number;
  readonly seed?: number;
}

/** What one layer's units respond to, drawn and measured. */
export interface LayerStudy {
  readonly name: string;
  /** The channels studied, strongest first. */
  readonly units: readonly number[];
  /** The field the encoder states (computed from its architecture), if it states one. */
  readonly computed: ReceptiveField | undefined;
  /** The field measured from gradients. */
  readonly measured: MeasuredField;
  /** The field used for crops: the computed one, else the measured one. */
  readonly field: ReceptiveField;
  /** Each studied unit's top patches, strongest first. */
  readonly patches: readonly (readonly Patch[])[];
  /** The crops alone, put back on a blank image, give the unit the same activation: how many of how many, worst relative error. */
  readonly recomputed: { readonly matching: number; readonly total: number; readonly worst: number };
  /** For every (unit, top patch): the pixels holding 90% of Σ|∂unit/∂input|. */
  readonly areas: readonly number[];
  readonly maximized: readonly Maximized[];
  /** Gradient-ascent steps the maximization took. */
  readonly steps: number;
}

/**
 * Studies one layer of an encoder on `images` (the test digits searched for top patches): chooses its strongest
 * units, measures its receptive field, finds each unit's top patches and checks them, measures how much of the
 * input matters to a unit, and makes each unit's maximizing input.
 */
export async function studyLayer(name: string, encoder: ImageEncoder, images: tf.Tensor4D, settings: StudySettings): Promise<LayerStudy> {
  const { units: wanted, count = 9, fieldInputs, steps, seed = 1 } = settings;
  const [H, W, C] = images.shape.slice(1) as [number, number, number];
  const responses = await strongestResponses(encoder, images, { count });
  const strength = responses.map((r) => (r.length > 0 && r[0]!.value > 0 ? r.reduce((s, p) => s + p.value, 0) / r.length : -1));
  const units = strength
    .map((s, channel) => ({ s, channel }))
    .filter(({ s }) => s > 0)
    .sort((a, b) => b.s - a.s)
    .slice(0, wanted)
    .map(({ channel }) => channel);

  const half = Math.max(1, Math.floor(fieldInputs / 2));
  const probes = tf.tidy(() =>
    tf.concat([tf.slice(images, 0, Math.min(half, images.shape[0])), tf.randomUniform([half, H, W, C], 0, 1, 'float32', seed)]),
  ) as tf.Tensor4D;
  const measured = await measureField(encoder, probes, units);
  probes.dispose();
  const computed = statedField(encoder);
  const field = computed ?? measured.field;
  if (!field)
    throw new Error(
      `Feature visualization of '${name}' expects units whose gradient reaches the input, got none: every studied unit is silent.`,
    );

  const patches = await cropResponses(
    units.map((c) => responses[c]!),
    images,
    field,
  );
  const instances = patches.flatMap((row, u) => row.map((p) => ({ ...p, channel: units[u]! })));
  const at: UnitAt[] = instances.map(({ channel, row, col }) => ({ channel, row, col }));

  // Each crop alone, on a blank image where it was: the unit sees exactly what it saw, so it must respond the same.
  const pasted = tf.tensor4d(concat(instances.map((p) => pasteWindow(p.pixels, [H, W, C], p.row, p.col, field))), [
    instances.length,
    H,
    W,
    C,
  ]);
  const again = await unitActivations(encoder, pasted, at);
  pasted.dispose();
  const errors = instances.map((p, i) => Math.abs(again[i]! - p.value) / Math.max(Math.abs(p.value), 1e-6));
  const recomputed = {
    matching: errors.filter((e) => e <= 1e-4).length,
    total: errors.length,
    worst: Math.max(0, ...errors),
  };

  const originals = tf.tidy(() =>
    tf.gather(
      images,
      instances.map((p) => p.image),
    ),
  ) as tf.Tensor4D;
  const areas = await relevantAreas(encoder, originals, at, 0.9);
  originals.dispose();

  const maximized = await maximizeActivation(encoder, units, { steps, seed });
  return { name, units, computed, measured, field, patches, recomputed, areas, maximized, steps };
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
}

/** The first layer's kernels, where the encoder has a (k, k, inputs, n) weight named `…conv1/kernel` (or any 4-D one). */
export function firstKernel(encoder: ImageEncoder): tf.Variable | undefined {
  const weights = Object.entries(encoder.weights).filter(([, w]) => w.rank === 4);
  return (weights.find(([name]) => /(^|\/)conv1\/kernel$/.test(name)) ?? weights[0])?.[1];
}

/**
 * A study's pictures in `dir`: `top-patches-<layer>.png` (a row per unit, its top patches cropped to the receptive
 * field, strongest first), `activation-maximization-<layer>.png`, and with `filters`, `<layer>-filters.png`.
 */
export async function drawStudy(study: LayerStudy, encoder: ImageEncoder, dir: string, { filters = false } = {}): Promise<string[]> {
  const file = study.name.replace(/[^\w.-]+/g, '-');
  const shape = encoder.inputShape as [number, number, number];
  const [h, w] = mapShape(encoder);
  const figures = [
    await writeFigure(join(dir, `top-patches-${file}.png`), patchFigure(study.name, study.units, study.patches, study.field, shape[2])),
    await writeFigure(
      join(dir, `activation-maximization-${file}.png`),
      maximizedFigure(study.name, study.maximized, shape, study.field, [Math.floor(h / 2), Math.floor(w / 2)], study.steps),
    ),
  ];
  const kernel = filters ? firstKernel(encoder) : undefined;
  if (kernel)
    figures.push(
      await writeFigure(
        join(dir, `${file}-filters.png`),
        filterFigure(study.name, (await kernel.data()) as Float32Array, kernel.shape as [number, number, number, number]),
      ),
    );
  return figures;
}
