import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRU_FIXTURE, nnkit, nnkitJson, savedMetadata, tempProject, tinyParityArgs, trainArgs } from './helpers.js';

describe('nnkit train and nnkit eval', () => {
  const project = tempProject({ packages: { 'nnkit-plugin-gru': GRU_FIXTURE } });
  const out = join(mkdtempSync(join(tmpdir(), 'nnkit-cli-train-')), 'parity');

  it("trains a third-party plugin's model on its own dataset and saves it", async () => {
    const summary = await nnkitJson(tinyParityArgs({ epochs: 2, out }), project);
    expect(summary).toMatchObject({ model: 'gru/parity', steps: 16, epochs: 2 });
    expect(summary.metrics).toHaveProperty('val_accuracy');
    expect(existsSync(join(out, 'model.json'))).toBe(true);
    expect(existsSync(join(out, 'checkpoints', 'best.ckpt'))).toBe(true);
  });

  it('resumes from the checkpoints in --out', async () => {
    const resumed = await nnkitJson(tinyParityArgs({ epochs: 3, out, flags: ['--resume'] }), project);
    expect(resumed).toMatchObject({ steps: 24, resumedFrom: 16 });
  });

  it('evaluates the saved model on its dataset', async () => {
    const result = await nnkit(['eval', out], project);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/gru\/parity on gru\/parity-bits \(validation, 64 examples\)/);
    expect(result.stdout).toMatch(/accuracy \d\.\d{4}/);
  });

  it("trains the third party's model with nnkit's own LSTM cell, found by name through the registry", async () => {
    const dir = join(out, '..', 'parity-lstm');
    const summary = await nnkitJson(trainArgs('gru/parity', { config: '{"cell": "lstm/lstm", "units": 4}', epochs: 1, out: dir }), project);
    expect(summary).toMatchObject({ model: 'gru/parity', steps: 8 });
  });

  it('refuses bad flags and config keys (exit 2) and a folder without a model (exit 1)', async () => {
    const flags = await nnkit(['train', 'gru/parity', '--epochs', '0'], project);
    expect(flags.code).toBe(2);
    expect(flags.stderr).toContain("--epochs expects an integer from 1 to 10000, got '0'");
    const missing = await nnkit(['eval', join(out, 'nope')], project);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('model.json, got no such file');
    const config = await nnkit(['train', 'gru/parity', '--config', '{"unitz": 3}'], project);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain("unknown key 'unitz'. Did you mean 'units'?");
  });
});

describe('nnkit train --out: one run per folder, checked before training', () => {
  const project = tempProject({ packages: { 'nnkit-plugin-gru': GRU_FIXTURE } });
  const root = mkdtempSync(join(tmpdir(), 'nnkit-cli-out-'));
  const out = join(root, 'parity');
  const train = (...flags: string[]) => nnkit(['train', 'gru/parity', '--preset', 'tiny', '--out', out, ...flags], project);

  it('refuses a new run into a folder holding another run, a resume with other settings, and says when nothing is left', async () => {
    expect((await train('--epochs', '1', '--json')).code).toBe(0);
    const fresh = await train('--epochs', '1');
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toContain(
      `got another run's checkpoints in ${join(out, 'checkpoints')} (the newest at step 8). Continue that run (--resume`,
    );
    expect(fresh.stderr).toContain('delete them (--overwrite');

    const other = await train(
      '--epochs',
      '2',
      '--resume',
      '--batch-size',
      '16',
      '--config',
      '{"units": 3}',
      '--dataset-options',
      '{"examples": 128}',
    );
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('batchSize 16 (the run has 32)');
    expect(other.stderr).toContain('config.units 3 (the run has 4)');
    expect(other.stderr).toContain('datasetOptions.examples 128 (the run has 256)');

    const finished = await train('--epochs', '1', '--resume', '--json');
    expect(finished.code, finished.stderr).toBe(0);
    expect(JSON.parse(finished.stdout)).toMatchObject({ steps: 8, resumedFrom: 8, alreadyFinished: true });
    const text = await train('--epochs', '1', '--resume');
    expect(text.stdout).toMatch(
      /^nothing left to train: gru\/parity in .* had already done 1 epoch\(s\), 8 steps \(pass a larger --epochs to train on\)/,
    );
    expect((await train('--resume', '--overwrite')).code).toBe(2);
  });

  it('--overwrite starts a new, shorter run whose checkpoints are kept, and --resume then continues it', async () => {
    const replaced = await train('--epochs', '1', '--batch-size', '64', '--overwrite', '--json');
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(readdirSync(join(out, 'checkpoints')).sort()).toEqual(['best.ckpt', 'step-000000004.ckpt']);
    const resumed = await train('--epochs', '2', '--batch-size', '64', '--resume', '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ steps: 8, resumedFrom: 4 });
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]); // no lock left behind
  });

  it('refuses a folder another nnkit train holds, naming it and that process', async () => {
    const lock = join(out, '.nnkit-lock');
    writeFileSync(
      lock,
      JSON.stringify({
        pid: process.pid,
        hostname: hostname(),
        startedAt: '2026-01-01T00:00:00.000Z',
        purpose: 'nnkit train gru/parity',
      }),
    );
    const busy = await train('--epochs', '3', '--resume');
    rmSync(lock);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(
      `nnkit: ${out} expects one writer at a time, got it in use by nnkit train gru/parity (pid ${process.pid} on ${hostname()}, since 2026-01-01T00:00:00.000Z)`,
    );
  });

  it('refuses an --out that is a file or lies under one, naming it, before loading anything', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    const isFile = await nnkit(['train', 'gru/parity', '--out', file], project);
    expect(isFile.code).toBe(1);
    expect(isFile.stderr).toContain(`nnkit: The output folder (--out) ${file} expects a folder, got a file.`);
    const under = await nnkit(['train', 'gru/parity', '--out', join(file, 'out')], project);
    expect(under.code).toBe(1);
    expect(under.stderr).toContain(
      `nnkit: Creating the folder ${join(file, 'out')} failed: a part of the path is a file, not a folder (ENOTDIR).`,
    );
    expect(under.stderr).not.toMatch(/unexpected error|    at /);
  });
});

describe('nnkit train, eval and sample for a language model', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'nnkit-cli-lm-')), 'lm');
  // A recurrent step is many small ops: tfjs's cpu backend would take minutes where wasm takes seconds.
  const wasm = { NNKIT_BACKEND: 'wasm' };
  /** lstm/lm on the first 40,000 characters of Moby Dick, into `out`, to `epochs` epochs: its summary. */
  const trainLm = (epochs: number, ...flags: string[]) =>
    nnkitJson(
      trainArgs('lstm/lm', { config: '{"units": 32, "embedding": 16}', datasetOptions: '{"trainTokens": 40000}', epochs, out, flags }),
      undefined,
      wasm,
    );

  it('trains lstm/lm on Moby Dick characters with truncated BPTT, then measures and samples it', async () => {
    const summary = await trainLm(2);
    expect(summary).toMatchObject({ model: 'lstm/lm', epochs: 2, steps: 2 * 12 }); // 40,000 characters in 64 streams of 624: 12 windows of 50
    // Better than guessing among the 90 characters, though far from trained.
    expect(summary.metrics.val_perplexity).toBeLessThan(40);

    const evaluated = await nnkitJson(['eval', out], undefined, wasm);
    expect(evaluated).toMatchObject({ dataset: 'datasets/moby-dick', split: 'test' });

    const { text } = await nnkitJson(['sample', out, '--prompt', 'Call me', '--length', '40'], undefined, wasm);
    expect(text.startsWith('Call me')).toBe(true);
    expect(text.length).toBe('Call me'.length + 40);

    expect(await trainLm(3, '--resume')).toMatchObject({ steps: 3 * 12, epochs: 3, resumedFrom: 2 * 12 });
  });

  it("trains nnkit's language model with a third-party plugin's GRU cell, found by name", async () => {
    const project = tempProject({ packages: { 'nnkit-plugin-gru': GRU_FIXTURE } });
    const dir = join(out, '..', 'lm-gru');
    const settings = {
      config: '{"cell": "gru/gru", "units": 16, "embedding": 8}',
      datasetOptions: '{"trainTokens": 20000}',
      epochs: 1,
      out: dir,
    };
    expect(await nnkitJson(trainArgs('rnn-lm/lm', settings), project, wasm)).toMatchObject({ model: 'rnn-lm/lm', steps: 6 });
    expect(savedMetadata(dir).config).toMatchObject({
      cell: 'gru/gru',
      vocabularySize: 90,
    });
  });

  it('refuses --batch-size and a dataset that is not text for a language model', async () => {
    const batch = await nnkit(['train', 'lstm/lm', '--batch-size', '8', '--out', out]);
    expect(batch.code).toBe(2);
    expect(batch.stderr).toMatch(/64 parallel token streams: --batch-size does not apply/);
    const mnist = await nnkit(['train', 'lstm/lm', '--dataset', 'datasets/mnist', '--config', '{"vocabularySize": 10}', '--out', out]);
    expect(mnist.code).toBe(2); // a ConfigError: a choice of the user's that does not fit, as a bad flag
    expect(mnist.stderr).toMatch(/expects a dataset of text \(token ids and a vocabulary\)/);
  });
});
