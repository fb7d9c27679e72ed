// A new kind of data is one plugin: the fixture nnkit-plugin-tagging registers a task (tagged token sequences), a
// dataset of them and a tagger, and nothing outside it changes. `nnkit train` and `nnkit eval` (the CLI as a child
// process, the plugin discovered in the app's node_modules) and `testModel` take them through the task.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { testModel } from '@nnkit/testing';
import tagging, { characterClasses, TAG_NAMES, type TaggedCorpus } from 'nnkit-plugin-tagging';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, nnkit, nnkitJson, savedMetadata, tempProject, trainArgs } from './helpers.js';

const TAGGING_FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'nnkit-plugin-tagging');
const datasetOptions = { examples: 256, length: 16 };

/** The share of the commonest tag among the validation split's tokens: what a tagger that learned nothing scores. */
async function commonestTagShare(): Promise<number> {
  const corpus = (await characterClasses.load(datasetOptions, undefined as never)) as TaggedCorpus;
  const counts = new Array<number>(TAG_NAMES.length).fill(0);
  for (const { tags } of corpus.validation) for (const tag of tags) counts[tag]!++;
  return Math.max(...counts) / counts.reduce((a, b) => a + b);
}

describe('a plugin that adds a kind of data: tagged token sequences', () => {
  const project = tempProject({ packages: { 'nnkit-plugin-tagging': TAGGING_FIXTURE } });
  const out = join(mkdtempSync(join(tmpdir(), 'nnkit-task-plugin-')), 'tagger');

  it('nnkit train trains the tagger on its dataset through the task: the corpus fills its config, and it learns', async () => {
    const summary = await nnkitJson(trainArgs('tagging/tagger', { epochs: 3, datasetOptions, out }), project);
    expect(summary).toMatchObject({ model: 'tagging/tagger', epochs: 3, steps: 24 }); // 256 sequences in batches of 32
    expect(summary.metrics.val_accuracy, 'validation tag accuracy after training').toBeGreaterThan(await commonestTagShare());
    const saved = savedMetadata(out);
    expect(saved.config).toMatchObject({ vocabularySize: 43, tags: 5 }); // <pad>, 10 digits, 26 letters, 5 marks and a space
    expect(saved.vocabulary).toHaveLength(43); // the task's saveExtras
    expect(existsSync(join(out, 'checkpoints'))).toBe(true);
  });

  it('nnkit eval scores the saved tagger through the task: tag accuracy over the real tokens of a split', async () => {
    const text = await nnkit(['eval', out], project);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/tagging\/tagger on tagging\/character-classes \(test, 64 sequences\)/);
    expect(text.stdout).toMatch(/accuracy 0\.\d{4}/);
    const report = await nnkitJson(['eval', out, '--split', 'validation'], project);
    expect(report).toMatchObject({
      model: 'tagging/tagger',
      dataset: 'tagging/character-classes',
      split: 'validation',
      sequences: 64,
    });
    expect(report.metrics.accuracy).toBeGreaterThan(await commonestTagShare());
    expect(Number.isFinite(report.metrics.loss)).toBe(true);
  });

  it("trains the tagger with nnkit's LSTM cell, found by name through the registry", async () => {
    const dir = join(out, '..', 'tagger-lstm');
    const settings = { config: '{"cell": "lstm/lstm", "units": 8}', epochs: 1, datasetOptions: '{"examples": 64, "length": 8}', out: dir };
    expect(await nnkitJson(trainArgs('tagging/tagger', settings), project)).toMatchObject({ model: 'tagging/tagger', steps: 2 });
    expect(savedMetadata(dir).config).toMatchObject({
      cell: 'lstm/lstm',
      units: 8,
    });
  });

  it("refuses a dataset of another kind, in the task's words", async () => {
    const result = await nnkit(
      ['train', 'tagging/tagger', '--dataset', 'datasets/dates', '--epochs', '1', '--out', join(out, '..', 'wrong')],
      project,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('tagged sequences (tokens and a tag for each), such as its own tagging/character-classes');
  });
});

testModel('tagging/tagger', {
  plugins: [tagging(), rnnLm()],
  datasetOptions: { examples: 16, length: 8 },
  backends: ['cpu', 'wasm'],
});
