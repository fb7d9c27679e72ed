import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createKit, silentProgress } from '@nnkit/kit';
import { loadDigitScenes } from '@nnkit/datasets';
import { loadModel } from '@nnkit/train';
import { writePng } from '@nnkit/viz';
import { describe, expect, it } from 'vitest';
import { builtinPlugins } from '../packages/cli/src/builtin-plugins.js';
import type { ImageCaptioner } from '../packages/cli/src/captions.js';
import { nnkit, nnkitJson, savedMetadata, trainArgs } from './helpers.js';

// Small on purpose: the point is the path through the CLI (train → save → load → caption, eval), not accuracy.
const SCENES = { train: 256, validation: 32, test: 32, seed: 1 };
const FAST = { NNKIT_BACKEND: 'auto' };
const TINY = '{"units": 32, "embedding": 16, "attentionUnits": 16}';

/** Test scene `index` as a PNG: light ink on black as the dataset draws it, or (`paper`) dark ink on white. */
function scenePng(dir: string, index: number, paper = false) {
  const corpus = loadDigitScenes(SCENES);
  const [height, width] = corpus.imageShape;
  const grey = corpus.test.pixels.subarray(index * height * width, (index + 1) * height * width);
  const pixels = new Uint8Array(height * width * 3);
  grey.forEach((v, i) => pixels.fill(Math.round(255 * (paper ? 1 - v : v)), 3 * i, 3 * i + 3));
  return {
    path: writePng(join(dir, `scene${index}${paper ? '-paper' : ''}.png`), { width, height, pixels }),
    grey: Float32Array.from(
      pixels.filter((_, i) => i % 3 === 0),
      (v) => (paper ? 255 - v : v) / 255,
    ),
  };
}

describe('nnkit train, caption and eval for an image captioner', () => {
  const root = mkdtempSync(join(tmpdir(), 'nnkit-cli-caption-'));
  const out = join(root, 'scenes');

  it('trains captioner/captioner on digit scenes, its vocabulary and image shape from the corpus', async () => {
    const summary = await nnkitJson(
      trainArgs('captioner/captioner', { config: TINY, datasetOptions: SCENES, epochs: 1, out }),
      undefined,
      FAST,
    );
    expect(summary).toMatchObject({ model: 'captioner/captioner', steps: 4, epochs: 1 });
    for (const key of ['loss', 'val_loss', 'val_exact_match', 'val_bleu']) expect(summary.metrics).toHaveProperty(key);
    const saved = savedMetadata(out);
    expect(saved).toMatchObject({
      separator: ' ',
      config: { imageHeight: 56, imageWidth: 56, encoder: 'cnn-features/conv3' },
    });
    expect(saved.vocabulary).toContain('above');
  }, 180_000);

  it('captions a fixed scene exactly as the saved model does in process, and draws where each word looked', async () => {
    const { path, grey } = scenePng(root, 2);
    const answer = await nnkitJson(['caption', out, path, '--out', root], undefined, FAST);
    expect(answer.inverted).toBe(false);
    expect(existsSync(answer.figure)).toBe(true);
    // The attention of every word is a distribution over conv3's 14 × 14 grid.
    for (const weights of answer.attention) expect(weights.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 4);

    const kit = await createKit({ plugins: await builtinPlugins(), backend: 'cpu', progress: silentProgress() });
    const { instance, metadata } = await loadModel<ImageCaptioner>(kit, out);
    const images = tf.tensor4d(grey, [1, 56, 56, 1]);
    const { tokens } = await instance.model.caption(images);
    images.dispose();
    instance.model.dispose?.();
    expect(answer.words).toEqual(tokens[0]!.map((id) => metadata.vocabulary![id]));

    // Dark ink on white paper is read the same way, inverted.
    const paper = await nnkitJson(['caption', out, scenePng(root, 2, true).path, '--out', root], undefined, FAST);
    expect(paper).toMatchObject({ inverted: true, caption: answer.caption });
  }, 120_000);

  it('refuses a picture of another size, naming both sizes', async () => {
    const small = writePng(join(root, 'small.png'), { width: 28, height: 28, pixels: new Uint8Array(28 * 28 * 3) });
    const result = await nnkit(['caption', out, small], undefined, FAST);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/expects a 56×56 picture \(width × height\), got 28×28 in .*small\.png\. Resize or pad it to 56×56/);
  }, 60_000);

  it('evaluates it on the test scenes: exact match, BLEU-4, token error rate', async () => {
    const report = await nnkitJson(['eval', out, '--beam', '2'], undefined, FAST);
    expect(report).toMatchObject({ dataset: 'datasets/digit-scenes', split: 'test', images: 32, beam: 2 });
    for (const key of ['exact_match', 'bleu', 'token_error_rate']) expect(report.metrics[key]).toBeGreaterThanOrEqual(0);
  }, 120_000);
});
