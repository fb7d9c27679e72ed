import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, definePlugin, type RecipeDefinition } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import datasets from '@nnkit/datasets';
import captioner from '@nnkit/plugin-captioner';
import posTagging from '@nnkit/plugin-pos-tagging';
import tasks from '@nnkit/plugin-tasks';
import cnnFeatures from '@nnkit/plugin-cnn-features';
import lenet5 from '@nnkit/plugin-lenet5';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import seq2seq from '@nnkit/plugin-seq2seq-attention';
import { imageGridFigure, writeFigure } from '@nnkit/viz';
import { describe, expect, it } from 'vitest';
import recipes from '../index.js';
import { RECIPES_NEED } from '../needs.js';
import { formatJson, recipeFolder, runRecipe, verdictOf, type RecipeRecord } from './index.js';

const tiny: RecipeDefinition = {
  name: 'tiny',
  description: 'a recipe for the record’s tests',
  reproduces: 'Two and two make <four> & "more".',
  async run(options) {
    const folder = recipeFolder(options.outDir!, 'mine/tiny');
    const figure = await writeFigure(
      join(folder, 'square.png'),
      imageGridFigure({ title: 'A square', tiles: [{ values: [0, 1, 1, 0], width: 2, height: 2 }] }),
    );
    return {
      rows: [
        { quantity: '2 + 2', target: '4', measured: '4', ok: true },
        { quantity: 'time', target: '—', measured: 'fast' },
      ],
      figures: [figure],
      settings: { terms: [2, 2] },
      summary: 'it adds up: `4`',
      details: {
        model: join(folder, 'model'),
        elsewhere: '/somewhere/else',
        curve: [1, 2, 3],
        commands: ['nnkit translate nnkit-out/mine-tiny/model "2 + 2"'],
      },
    };
  },
};

describe('a recipe run’s record', () => {
  it('writes result.json (rows, settings, environment, time) and a self-contained report.html beside the figures', async () => {
    const kit = await createKit({
      plugins: [definePlugin({ meta: { name: 'mine', version: '1.2.3', namespace: 'mine', nnkit: '^2.0.0' }, recipes: [tiny] })],
      backend: 'cpu',
      progress: silentProgress(),
    });
    const outDir = mkdtempSync(join(tmpdir(), 'nnkit-record-'));
    const { record, files } = await runRecipe(kit, 'mine/tiny', { outDir, seed: 5 }, { versions: { '@nnkit/cli': '9.9.9' } });
    expect(files.result).toBe(join(outDir, 'mine-tiny', 'result.json'));
    const saved = JSON.parse(readFileSync(files.result, 'utf8')) as RecipeRecord;
    expect(saved).toEqual(JSON.parse(JSON.stringify(record)));
    expect(saved).toMatchObject({
      format: 'nnkit-recipe-result',
      recipe: 'mine/tiny',
      quick: false,
      reproduced: true,
      figures: ['square.png'],
      summary: 'it adds up: `4`',
    });
    expect(saved.settings).toEqual({ quick: false, seed: 5, terms: [2, 2] });
    expect(saved.details).toMatchObject({ model: 'model', elsewhere: '/somewhere/else', curve: [1, 2, 3] }); // paths inside the folder made relative
    expect(saved.environment).toMatchObject({
      backend: { name: 'cpu', requested: 'cpu' },
      versions: { '@nnkit/cli': '9.9.9', plugins: { mine: '1.2.3' } },
    });
    expect(saved.environment.machine.cores).toBeGreaterThan(0);
    expect(saved.environment.commit === null || /^[0-9a-f]{40}$/.test(saved.environment.commit.sha)).toBe(true);
    expect(Number.isNaN(Date.parse(saved.started))).toBe(false);
    const html = readFileSync(files.report, 'utf8');
    expect(html).toContain('Two and two make &lt;four&gt; &amp; &quot;more&quot;.'); // escaped
    expect(html).toContain('Reproduced: 1 of 1 checks ✓');
    expect(html).toContain('<code>4</code>'); // the summary's markdown
    expect(html).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="A square"/);
    expect(html).not.toMatch(/<script|src="http/);
    expect(html).toContain('<a href="square.png" title="open at full size"><img'); // the figure at full size, beside the page
    expect(html).toContain('<h2>Try what it trained</h2>');
    expect(html).toContain('<pre><code>nnkit translate nnkit-out/mine-tiny/model &quot;2 + 2&quot;</code></pre>');
    expect(existsSync(join(outDir, 'mine-tiny', 'square.png'))).toBe(true);
  });

  it('calls a run with no checked row a smoke run: reproduced false with a reason, a grey verdict, never "Reproduced: 0 of 0"', async () => {
    const smoke: RecipeDefinition = {
      ...tiny,
      name: 'smoke',
      async run() {
        return { rows: [{ quantity: 'exact match', target: '—', measured: '0.00%' }], figures: [] };
      },
    };
    const kit = await createKit({
      plugins: [
        definePlugin({
          meta: { name: 'mine', version: '1.2.3', namespace: 'mine', nnkit: '^2.0.0' },
          recipes: [smoke],
        }),
      ],
      backend: 'cpu',
      progress: silentProgress(),
    });
    const { record, files } = await runRecipe(kit, 'mine/smoke', {
      outDir: mkdtempSync(join(tmpdir(), 'nnkit-record-')),
      quick: true,
    });
    expect(record).toMatchObject({ reproduced: false, reason: expect.stringContaining('smoke run: nothing checked') });
    expect(JSON.parse(readFileSync(files.result, 'utf8'))).toMatchObject({ reproduced: false, reason: record.reason });
    const html = readFileSync(files.report, 'utf8');
    expect(html).toContain('<span class="verdict smoke">Smoke run: nothing checked</span>');
    expect(html).not.toMatch(/Reproduced|0 of 0/);
    expect(
      verdictOf([
        { quantity: 'a', target: 'b', measured: 'c', ok: false },
        { quantity: 'a', target: 'b', measured: 'c', ok: true },
      ]),
    ).toMatchObject({ reproduced: false, reason: '1 of 2 checks fall short' });
  });

  it('names every plugin an nnkit recipe needs that the kit lacks, in one refusal', async () => {
    const kit = await createKit({ plugins: [datasets()], backend: 'cpu', progress: silentProgress() });
    const refusal = runRecipe(kit, 'recipes/conv-params', { outDir: mkdtempSync(join(tmpdir(), 'nnkit-record-')) });
    await expect(refusal).rejects.toThrow(ConfigError);
    const message = await refusal.catch((e: Error) => e.message);
    for (const name of ['@nnkit/recipes', ...RECIPES_NEED.filter((n) => n !== '@nnkit/datasets')]) expect(message).toContain(name);
    expect(message).not.toMatch(/missing:.*@nnkit\/datasets/);
    expect(message).toContain("createKit({ plugins: builtinPlugins() }) with builtinPlugins from 'nnkit'");
  });

  it('runs on a kit with every plugin the recipes need', async () => {
    const plugins = [tasks(), datasets(), lenet5(), cnnFeatures(), rnnLm(), lstm(), seq2seq(), captioner(), posTagging(), recipes()];
    const kit = await createKit({ plugins, backend: 'cpu', progress: silentProgress() });
    const { record } = await runRecipe(kit, 'recipes/conv-params', {
      outDir: mkdtempSync(join(tmpdir(), 'nnkit-record-')),
    });
    expect(record.reproduced).toBe(true);
  });

  it('keeps lists of numbers on one line, and everything else indented', () => {
    expect(formatJson({ a: [1, 2, 3], b: { c: 'd' }, e: [{ f: 1 }], g: [] })).toBe(
      '{\n  "a": [1, 2, 3],\n  "b": {\n    "c": "d"\n  },\n  "e": [\n    {\n      "f": 1\n    }\n  ],\n  "g": []\n}',
    );
  });

  it('puts nnkit’s recipes under their name and another plugin’s under namespace-name', () => {
    expect(recipeFolder('/out', 'recipes/lenet5-mnist')).toBe('/out/lenet5-mnist');
    expect(recipeFolder('/out', 'lenet5-mnist')).toBe('/out/lenet5-mnist');
    expect(recipeFolder('/out', 'mine/tiny')).toBe('/out/mine-tiny');
  });
});
