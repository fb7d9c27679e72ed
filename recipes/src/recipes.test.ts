import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKit, silentProgress, type Kit } from '@nnkit/core';
import datasets from '@nnkit/datasets';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import lenet5 from '@nnkit/plugin-lenet5';
import { beforeAll, describe, expect, it } from 'vitest';
import recipes from './index.js';

let kit: Kit;
beforeAll(async () => {
  kit = await createKit({ plugins: [datasets(), lenet5(), rnnLm(), lstm(), recipes()], backend: 'wasm', progress: silentProgress() });
});

async function runQuick(name: string) {
  const outDir = mkdtempSync(join(tmpdir(), 'nnkit-recipe-'));
  const result = await kit.recipe(`recipes/${name}`).run({ quick: true, outDir }, { kit });
  for (const figure of result.figures) {
    expect(existsSync(figure), figure).toBe(true);
    expect(readFileSync(figure).subarray(1, 4).toString()).toBe('PNG');
  }
  return result;
}

describe('the lecture’s convolution recipes', () => {
  it.each(['conv-params', 'maxpool-backprop', 'translation-invariance', 'receptive-field', 'bptt-check'])('%s reproduces every row of the slide', async (name) => {
    const result = await runQuick(name);
    expect(result.rows.length).toBeGreaterThan(2);
    expect(result.rows.filter((r) => r.ok !== true).map((r) => r.quantity)).toEqual([]);
  });

  it('maxpool-backprop gives gradient 1 at the maximum and 0 elsewhere', async () => {
    expect((await runQuick('maxpool-backprop')).details).toEqual({ gradient: [0, 1, 0, 0] });
  });

  it('vanishing-gradients: through 128 steps the simple RNN loses many more orders of magnitude than the LSTM', async () => {
    const result = await runQuick('vanishing-gradients');
    const { simple, lstm: lstmNorms } = result.details as { simple: number[]; lstm: number[] };
    expect(simple).toHaveLength(128);
    const lost = (norms: number[]) => Math.log10(norms[127]! / norms[0]!);
    expect(lost(simple)).toBeGreaterThan(10);
    expect(lost(lstmNorms)).toBeLessThan(lost(simple) - 3);
    expect(result.rows.filter((r) => r.ok === false)).toEqual([]);
  });

  it('lenet5-mnist (quick) reaches 95% on the MNIST test set and saves the model it measured', async () => {
    const result = await runQuick('lenet5-mnist');
    expect(result.rows[0]!.ok).toBe(true);
    const runs = result.details!.runs as { testError: number }[];
    expect(runs[0]!.testError).toBeLessThan(0.05);
    expect(existsSync(result.details!.model as string)).toBe(true);
    const confusion = result.details!.confusion as number[];
    expect(confusion.reduce((a, b) => a + b, 0)).toBe(10_000);
  }, 240_000);

  it('mnist-activations (quick) draws every layer for one digit', async () => {
    const result = await runQuick('mnist-activations');
    expect(result.figures.map((f) => f.split('/').at(-1))).toEqual(['0-input.png', '1-C1.png', '2-S2.png', '3-C3.png', '4-S4.png', '5-C5.png', '6-F6.png', '7-output.png']);
  }, 120_000);
});

describe('the lecture’s recurrent recipes', () => {
  it('exploding-gradients: unclipped, the engine stops at an infinite loss; clipped, the same RNN learns', async () => {
    const result = await runQuick('exploding-gradients');
    expect(result.rows.map((r) => r.ok)).toEqual([true, true]);
    const { unclipped, clipped } = result.details as Record<string, { losses: number[]; gradientNorms: number[] }>;
    expect(unclipped!.losses.length).toBeLessThan(100); // stopped early
    expect(Math.max(...unclipped!.gradientNorms)).toBeGreaterThan(1e6);
    expect(clipped!.losses).toHaveLength(1500);
  }, 60_000);

  it('long-memory (quick, T = 20): the LSTM solves the adding problem, the simple RNN stays near the 0.167 baseline', async () => {
    const result = await runQuick('long-memory');
    expect(result.rows.map((r) => r.ok)).toEqual([true, true]);
  }, 120_000);

  it('rnn-lm (quick): every model and the n-gram baseline give finite scores, samples read as the corpus’s tokens', async () => {
    const result = await runQuick('rnn-lm');
    const details = result.details as Record<'word' | 'char', Record<string, unknown>>;
    for (const level of ['word', 'char'] as const) {
      const { ngram, vocabulary } = details[level] as { ngram: { validation: number; test: number }; vocabulary: number };
      const models = ['simple RNN', 'LSTM'].map((name) => details[level][name] as { validationCurve: number[]; test: number });
      for (const model of models) {
        expect(model.validationCurve.at(-1)).toBeLessThan(model.validationCurve[0]!); // training lowered it
        expect(Math.exp(model.test)).toBeLessThan(vocabulary);
      }
      expect(Math.exp(ngram.test)).toBeLessThan(vocabulary);
    }
    expect(result.rows.filter((r) => r.quantity.includes('sample')).every((r) => r.measured.length > 20)).toBe(true);
    expect(existsSync(join((details.char.model as string), '..', 'model.json'))).toBe(true);
  }, 180_000);
});
