import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '@nnkit/viz';
import { describe, expect, it } from 'vitest';
import { nnkit, trainArgs } from './helpers.js';

// Bad input that once cost a heap, a stack trace or a broken model: each is refused in one line naming what was wrong.
describe('nnkit with data it cannot take', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-cli-limits-'));
  const model = join(dir, 'lenet5');
  const mnist = ['--dataset-options', '{"trainLimit": 64, "validation": 64}'];

  it('clamps a --batch-size larger than the data to the data, with a note on stderr', async () => {
    const result = await nnkit([
      'train',
      'lenet5/lenet5',
      ...mnist,
      '--epochs',
      '1',
      '--batch-size',
      '100000000',
      '--out',
      model,
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('batch size 100000000 is more than the 64 examples to train on: using 64, one batch per epoch.');
    expect(JSON.parse(result.stdout)).toMatchObject({ steps: 1, epochs: 1 });
    expect(result.stderr).not.toMatch(/\d{7,} ex\/s/);
  });

  it('refuses a picture too large for memory, a truncated one, a missing file and a directory, naming each', async () => {
    const huge = encodePng({ width: 2, height: 2, pixels: new Uint8Array(12) });
    huge.writeUInt32BE(20_000, 16); // the header claims 20000×20000; the CRC is not looked at before the refusal
    huge.writeUInt32BE(20_000, 20);
    writeFileSync(join(dir, 'huge.png'), huge);
    const whole = encodePng({
      width: 28,
      height: 28,
      pixels: new Uint8Array(28 * 28 * 3).map((_, i) => (i * 31) % 256),
    });
    writeFileSync(join(dir, 'cut.png'), whole.subarray(0, whole.length >> 1));
    mkdirSync(join(dir, 'pictures'));
    const cases = [
      ['huge.png', 'expects a picture of at most 50 megapixels, got 20000×20000'],
      ['cut.png', 'expects a whole PNG file, got a truncated one'],
      ['missing.png', 'expects a PNG file, got no file by that name'],
      ['pictures', 'expects a PNG file, got a directory'],
    ] as const;
    for (const [file, message] of cases) {
      const result = await nnkit(['predict', model, join(dir, file)]);
      expect(result.code, file).toBe(1);
      expect(result.stderr, file).toContain(`nnkit: ${join(dir, file)} ${message}`);
    }
  });

  it('refuses a text corpus for LeNet-5, in training and evaluation, saying which kind of data it takes', async () => {
    for (const args of [
      ['train', 'lenet5/lenet5', '--out', join(dir, 'text')],
      ['eval', model],
    ]) {
      const result = await nnkit([...args, '--dataset', 'datasets/moby-dick']);
      expect(result.code, result.stderr).not.toBe(0);
      expect(result.stderr).not.toContain('unexpected error');
      expect(result.stderr).toContain(
        "lenet5/lenet5 expects a dataset of examples (inputs and targets), such as its own datasets/mnist, got 'datasets/moby-dick', which holds text",
      );
    }
    expect(existsSync(join(dir, 'text', 'model.json'))).toBe(false);
  });

  it('refuses a --length for nnkit sample beyond its bound before loading anything', async () => {
    const result = await nnkit(['sample', model, '--length', '1e9']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--length expects an integer from 1 to 100000, got '1e9'.");
  });

  it('stops a language model whose loss diverges, saving no model', async () => {
    const out = join(dir, 'lm');
    const result = await nnkit(
      trainArgs('lstm/lm', {
        config: '{"units": 16, "embedding": 8}',
        datasetOptions: '{"trainTokens": 10000}',
        epochs: 1,
        out,
        flags: ['--learning-rate', '1e6'],
      }),
    );
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      /nnkit: Training expects a loss below 709\.78 nats per token \(past it the perplexity exp\(loss\) is infinite\), got \d/,
    );
    expect(existsSync(join(out, 'model.json'))).toBe(false);
  });
});
