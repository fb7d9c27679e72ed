import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKit, silentProgress } from '@nnkit/kit';
import cnnFeatures, { type CnnFeatures } from '@nnkit/plugin-cnn-features';
import { saveModel } from '@nnkit/train';
import { describe, expect, it } from 'vitest';
import { runNnkit } from '../run-nnkit.fixture.js';

const nnkit = (args: string[]) => runNnkit(args);

describe('nnkit visualize', () => {
  it("draws a saved cnn-features model's layers: top patches, activation maximization, conv1's filters", async () => {
    const kit = await createKit({ plugins: [cnnFeatures()], backend: 'cpu', progress: silentProgress() });
    const instance = await kit.createModel<CnnFeatures>('cnn-features/cnn', { config: { widths: [4, 8], hidden: 8 } });
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-visualize-'));
    await saveModel(join(dir, 'model'), instance, { dataset: { key: 'datasets/mnist' } });
    const out = join(dir, 'pictures');
    const result = await nnkit([
      'visualize',
      join(dir, 'model'),
      '--units',
      '2',
      '--images',
      '40',
      '--steps',
      '3',
      '--out',
      out,
      '--backend',
      'cpu',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as {
      layers: { layer: string; receptiveField: { size: number }; figures: string[] }[];
    };
    expect(json.layers.map((l) => [l.layer, l.receptiveField.size])).toEqual([
      ['conv1', 3],
      ['conv2', 8],
    ]);
    expect(json.layers.flatMap((l) => l.figures.map((f) => f.split('/').at(-1)))).toEqual([
      'top-patches-conv1.png',
      'activation-maximization-conv1.png',
      'conv1-filters.png',
      'top-patches-conv2.png',
      'activation-maximization-conv2.png',
    ]);
    for (const figure of json.layers.flatMap((l) => l.figures)) expect(existsSync(figure)).toBe(true);

    const wrong = await nnkit(['visualize', join(dir, 'model'), '--layer', 'conv4', '--backend', 'cpu']);
    expect(wrong.code).toBe(2); // a ConfigError: --layer names no layer, a usage error
    expect(wrong.stderr).toMatch(/expects a layer among conv1, conv2, got 'conv4'/);

    // Bounded work: above a limit the call is refused before the model is read.
    const huge = await nnkit(['visualize', join(dir, 'nowhere'), '--steps', '1000000']);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/^nnkit: --steps expects an integer from 1 to 5000, got '1000000'\./);
  }, 60_000);
});
