import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nnkit } from './helpers.js';

// Small on purpose: the point is the path through the CLI (train → save → load → translate, eval), not accuracy.
const DATES = ['--dataset-options', '{"train": 640, "validation": 64, "test": 64}'];
const FAST = { NNKIT_BACKEND: 'auto' };

describe('nnkit train, translate and eval for a sequence-to-sequence model', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'nnkit-cli-seq2seq-')), 'dates');

  it('trains seq2seq/translator on dates, its vocabulary sizes from the corpus, and saves both vocabularies', async () => {
    const result = await nnkit(
      ['train', 'seq2seq/translator', '--preset', 'dates', ...DATES, '--epochs', '2', '--out', out, '--json'],
      undefined,
      FAST,
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ model: 'seq2seq/translator', steps: 20, epochs: 2 });
    for (const key of ['loss', 'val_loss', 'val_exact_match', 'val_token_error_rate', 'val_bleu'])
      expect(summary.metrics).toHaveProperty(key);
    expect(existsSync(join(out, 'model.json'))).toBe(true);
  }, 180_000);

  it('translates a date, greedy and with beam search, and shows where each character looked', async () => {
    const greedy = await nnkit(['translate', out, '23 Jan 2017', '--json'], undefined, FAST);
    expect(greedy.code, greedy.stderr).toBe(0);
    const answer = JSON.parse(greedy.stdout);
    expect(answer).toMatchObject({ model: 'seq2seq/translator', input: '23 Jan 2017', beam: 1 });
    expect(answer.output).toMatch(/^[0-9-]*$/); // ISO symbols only, whatever two epochs learned
    const beam = await nnkit(['translate', out, '23 Jan 2017', '--beam', '3', '--attention'], undefined, FAST);
    expect(beam.code, beam.stderr).toBe(0);
    const lines = beam.stdout.split('\n');
    expect(lines[2]).toMatch(/^ +23 Jan 2017$/); // the grid's header: the source, one column per character
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.at(-2)).toMatch(/^shades: attention weight, each row sums to 1: ' ' < 0\.125 ≤ ░ .* ≤ █$/); // a legend for the shades
  }, 120_000);

  it('refuses a symbol the model never saw, naming it (a usage error: exit 2)', async () => {
    const result = await nnkit(['translate', out, '23 Jan 2017 ☃'], undefined, FAST);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/expects symbols among .*got "☃"/);
  }, 60_000);

  it('evaluates it on the test dates: exact match, error rates, BLEU', async () => {
    const result = await nnkit(['eval', out, '--split', 'test', '--beam', '2', '--json'], undefined, FAST);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ dataset: 'datasets/dates', split: 'test', examples: 64, beam: 2 });
    for (const key of ['exact_match', 'word_error_rate', 'token_error_rate', 'bleu']) expect(report.metrics[key]).toBeGreaterThanOrEqual(0);
    expect(report.metrics.exact_match + report.metrics.word_error_rate).toBeCloseTo(1);
  }, 120_000);
});
