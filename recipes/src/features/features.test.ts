import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { definePlugin, type EncoderDefinition, type ImageEncoder, type Kit } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import datasets from '@nnkit/datasets';
import cnnFeatures from '@nnkit/plugin-cnn-features';
import { pngTitle } from '@nnkit/viz';
import { beforeAll, describe, expect, it } from 'vitest';
import { featureVisualization } from '../feature-visualization.js';
import {
  encodeMap,
  linearProbe,
  mapShape,
  maximizeActivation,
  measureField,
  pasteWindow,
  probeFeatures,
  relevantAreas,
  statedField,
  topPatches,
  unitActivations,
} from './index.js';

/**
 * A third party's encoder, written only against @nnkit/core: one fixed 3×3 convolution (a vertical and a horizontal
 * edge detector) and 2×2 max pooling, (28, 28, 1) → (14, 14, 2). It states no receptive field: the tools measure it.
 */
const edges: EncoderDefinition = {
  name: 'edges',
  description: 'vertical and horizontal edges, max-pooled 2×2',
  create(options) {
    const kernel = tf.variable(
      tf.tensor4d(
        [
          [1, 1],
          [0, 2],
          [-1, -1],
          [1, 0],
          [0, 0],
          [-1, 0],
          [1, -1],
          [0, -2],
          [-1, 1],
        ].flat(),
        [3, 3, 1, 2],
      ),
    );
    return {
      inputShape: [28, 28, 1],
      outputShape: [14, 14, 2],
      encode: (images) => tf.tidy(() => tf.maxPool(tf.relu(tf.conv2d(images, kernel as tf.Tensor4D, 1, 'same')), 2, 2, 'valid')),
      weights: { [`${options.name ?? 'edges'}/kernel`]: kernel },
    };
  },
};
const thirdParty = definePlugin({
  meta: { name: 'nnkit-plugin-edges', version: '1.0.0', namespace: 'mine', nnkit: '^2.0.0' },
  encoders: [edges],
});

let kit: Kit;
let images: tf.Tensor4D;
beforeAll(async () => {
  kit = await createKit({
    plugins: [datasets(), cnnFeatures(), thirdParty],
    backend: 'cpu',
    progress: silentProgress(),
  });
  // Blobs of ink on a blank page (smooth noise above a threshold): digit-like enough to excite conv units everywhere.
  images = tf.tidy(() =>
    tf.cast(
      tf.greater(tf.image.resizeBilinear(tf.randomUniform([40, 7, 7, 1], 0, 1, 'float32', 11) as tf.Tensor4D, [28, 28]), 0.6),
      'float32',
    ),
  ) as tf.Tensor4D;
});

async function smallEncoder(layer = 'conv2'): Promise<ImageEncoder> {
  return kit.createEncoder(`cnn-features/${layer}`, { widths: [4, 8, 8], seed: 3 });
}

describe('top patches', () => {
  it("are a unit's largest activations over the images, and their crops alone give the same activations", async () => {
    const encoder = await smallEncoder();
    const field = statedField(encoder)!;
    const patches = await topPatches(encoder, images, { count: 5, field });
    // Brute force: every channel's largest response in every image, sorted.
    const [h, w, c] = mapShape(encoder);
    const perImage = tf.tidy(() => tf.max(tf.reshape(encodeMap(encoder, images), [40, h * w, c]), 1).arraySync() as number[][]);
    for (let channel = 0; channel < c; channel++) {
      const expected = perImage
        .map((row) => row[channel]!)
        .sort((a, b) => b - a)
        .slice(0, 5);
      expect(
        patches[channel]!.map((p) => p.value),
        `channel ${channel}`,
      ).toEqual(expected);
    }
    const all = patches.flatMap((row, channel) => row.map((p) => ({ ...p, channel })));
    const pasted = tf.tensor4d(
      all.flatMap((p) => Array.from(pasteWindow(p.pixels, [28, 28, 1], p.row, p.col, field))),
      [all.length, 28, 28, 1],
    );
    const again = await unitActivations(encoder, pasted, all);
    all.forEach((p, i) => expect(again[i]).toBeCloseTo(p.value, 5));
    tf.dispose([pasted, ...Object.values(encoder.weights)]);
  });
});

describe('measurements', () => {
  it('the measured receptive field of each cnn-features encoder equals the one it states', async () => {
    for (const layer of ['conv1', 'conv2', 'conv3']) {
      const encoder = await smallEncoder(layer);
      const noise = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
      const { field } = await measureField(encoder, tf.concat([tf.slice(images, 0, 8), noise]) as tf.Tensor4D, [0, 1, 2, 3]);
      expect(field, layer).toEqual(statedField(encoder));
      tf.dispose([noise, ...Object.values(encoder.weights)]);
    }
  });

  it('a third party’s encoder that states no field is measured: 3×3 conv then 2×2 pool sees 4×4, moving 2', async () => {
    const encoder = await kit.createEncoder('mine/edges');
    expect(statedField(encoder)).toBeUndefined();
    const { field } = await measureField(encoder, images, [0, 1]);
    expect(field).toEqual({ size: 4, stride: 2, offset: -1 });
    tf.dispose(Object.values(encoder.weights));
  });

  it('activation maximization raises every responding unit; areas and probes give numbers; nothing leaks', async () => {
    const encoder = await smallEncoder('conv3');
    const four = tf.slice(images, 0, 4) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const results = await maximizeActivation(encoder, [0, 1, 2, 3, 4, 5, 6, 7], { steps: 15, seed: 2 });
    const responding = results.filter((r) => r.before > 0);
    expect(responding.length).toBeGreaterThan(4);
    for (const r of responding) expect(r.after, `channel ${r.channel}`).toBeGreaterThan(r.before);
    const areas = await relevantAreas(
      encoder,
      four,
      [0, 1, 2, 3].map((channel) => ({ channel, row: 3, col: 3 })),
    );
    expect(areas.filter(Number.isFinite).every((a) => a >= 1 && a <= 18 * 18)).toBe(true);
    await measureField(encoder, four, [0, 1]);
    await topPatches(encoder, images, { field: statedField(encoder)! });
    const labels = tf.tidy(() =>
      tf.oneHot(
        tf.tensor1d(
          Array.from({ length: 40 }, (_, i) => i % 10),
          'int32',
        ),
        10,
      ),
    );
    const features = probeFeatures(encoder, images);
    expect(features.shape).toEqual([40, 3 * 3 * 8]);
    const { accuracy } = await linearProbe({ xs: features, ys: labels }, { xs: features, ys: labels }, { epochs: 2 });
    expect(accuracy).toBeGreaterThanOrEqual(0);
    tf.dispose([features, labels]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([four, ...Object.values(encoder.weights)]);
  });
});

describe('the feature-visualization recipe', () => {
  it("takes a third party's encoder by name and draws and measures it", async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'nnkit-features-'));
    const result = await featureVisualization.run({ quick: true, outDir, encoders: ['mine/edges'] }, { kit });
    expect(result.rows.find((r) => r.quantity.startsWith('mine/edges: receptive field'))?.measured).toBe('4×4 at rows 13–16');
    expect(result.rows.find((r) => r.quantity.startsWith('mine/edges: each top patch'))?.ok).toBe(true);
    expect(result.figures.map((f) => f.split('/').at(-1))).toEqual([
      'top-patches-mine-edges.png',
      'activation-maximization-mine-edges.png',
      'mine-edges-filters.png',
      'receptive-fields.png',
    ]);
    for (const figure of result.figures) expect(existsSync(figure)).toBe(true);
    // Figures, not bare rasters: each names its layer and what it shows in a title the report reads back.
    expect(result.figures.map((f) => pngTitle(readFileSync(f)))).toEqual([
      expect.stringMatching(/^mine\/edges: the inputs its units respond to most \(top 9 patches of \d units\)$/),
      'mine/edges: activation maximization, the input each unit likes best',
      expect.stringMatching(/^mine\/edges: its \d+ filters \(\d+×\d+ kernels/),
      'Receptive fields grow with depth: where the centre unit’s gradient reaches the input',
    ]);
  }, 60_000);
});
