import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMnistSplit } from '@nnkit/datasets';
import { blankImage, fillRect, writePng } from '@nnkit/viz';
import { describe, expect, it } from 'vitest';
import { nnkit, nnkitJson } from './helpers.js';

/** An MNIST test digit as a person would draw it: dark ink on white paper, 4× larger, off-centre. */
function digitPng(dir: string, index: number, pixels: Uint8Array): string {
  const image = blankImage(140, 120);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const level = 255 - pixels[index * 784 + y * 28 + x]!;
      fillRect(image, 10 + 4 * x, 4 + 4 * y, 4, 4, [level, level, level]);
    }
  }
  return writePng(join(dir, `digit-${index}.png`), image);
}

describe("the README's main job: nnkit recipe lenet5-mnist --quick, then predict and eval with the saved model", () => {
  const out = mkdtempSync(join(tmpdir(), 'nnkit-main-job-'));
  const model = join(out, 'lenet5-mnist', 'model');

  it('trains LeNet-5 on real MNIST, prints the target next to the result, and saves the model', async () => {
    const result = await nnkit(['recipe', 'lenet5-mnist', '--quick', '--out', out], undefined, {
      NNKIT_BACKEND: 'auto',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/✓\s+test error, modern preset \(3 epochs on 20,000 digits\)\s+≤ 5\.00% \(quick setting\)\s+\d\.\d\d%/);
    expect(result.stderr).toMatch(/LeNet-5 modern .* ex\/s/); // progress on stderr
  }, 300_000);

  it('classifies pictures of handwritten digits with the saved model', async () => {
    const test = readMnistSplit('test');
    const files = Array.from({ length: 20 }, (_, i) => digitPng(out, i, test.pixels));
    const predictions = (await nnkitJson(['predict', model, ...files])) as { digit: number }[];
    const correct = predictions.filter((p, i) => p.digit === test.labels[i]).length;
    expect(correct).toBeGreaterThanOrEqual(17);
  });

  it('evaluates the saved model on the MNIST test set', async () => {
    const report = await nnkitJson(['eval', model], undefined, { NNKIT_BACKEND: 'auto' }); // 10,000 digits: minutes on the pure-JS cpu backend
    expect(report).toMatchObject({
      model: 'lenet5/lenet5',
      dataset: 'datasets/mnist',
      split: 'test',
      examples: 10_000,
    });
    expect(report.metrics.accuracy).toBeGreaterThan(0.95);
  });
});
