import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRU_FIXTURE, nnkit, tempProject } from './helpers.js';

describe('nnkit train and nnkit eval', () => {
  const project = tempProject({ packages: { 'nnkit-plugin-gru': GRU_FIXTURE } });
  const out = join(mkdtempSync(join(tmpdir(), 'nnkit-cli-train-')), 'parity');

  it("trains a third-party plugin's model on its own dataset and saves it", async () => {
    const result = await nnkit(['train', 'gru/parity', '--preset', 'tiny', '--epochs', '2', '--out', out, '--json'], project);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ model: 'gru/parity', steps: 16, epochs: 2 });
    expect(summary.metrics).toHaveProperty('val_accuracy');
    expect(existsSync(join(out, 'model.json'))).toBe(true);
    expect(existsSync(join(out, 'checkpoints', 'best.ckpt'))).toBe(true);
  });

  it('resumes from the checkpoints in --out', async () => {
    const result = await nnkit(['train', 'gru/parity', '--preset', 'tiny', '--epochs', '3', '--out', out, '--resume', '--json'], project);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ steps: 24, resumedFrom: 16 });
  });

  it('evaluates the saved model on its dataset', async () => {
    const result = await nnkit(['eval', out], project);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/gru\/parity on gru\/parity-bits \(validation, 64 examples\)/);
    expect(result.stdout).toMatch(/accuracy \d\.\d{4}/);
  });

  it("trains the third party's model with nnkit's own LSTM cell, found by name through the registry", async () => {
    const dir = join(out, '..', 'parity-lstm');
    const result = await nnkit(['train', 'gru/parity', '--config', '{"cell": "lstm/lstm", "units": 4}', '--epochs', '1', '--out', dir, '--json'], project);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ model: 'gru/parity', steps: 8 });
  });

  it('refuses bad flags (exit 2) and a folder without a model (exit 1)', async () => {
    const flags = await nnkit(['train', 'gru/parity', '--epochs', '0'], project);
    expect(flags.code).toBe(2);
    expect(flags.stderr).toContain("--epochs expects an integer ≥ 1, got '0'");
    const missing = await nnkit(['eval', join(out, 'nope')], project);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('model.json, got no such file');
    const config = await nnkit(['train', 'gru/parity', '--config', '{"unitz": 3}'], project);
    expect(config.code).toBe(1);
    expect(config.stderr).toContain("unknown key 'unitz'. Did you mean 'units'?");
  });
});
