import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PluginError, type NnkitPlugin } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import datasets from '@nnkit/datasets';
import captioner from '@nnkit/plugin-captioner';
import cnnFeatures from '@nnkit/plugin-cnn-features';
import lenet5 from '@nnkit/plugin-lenet5';
import lstm from '@nnkit/plugin-lstm';
import posTagging from '@nnkit/plugin-pos-tagging';
import rnnLm from '@nnkit/plugin-rnn-lm';
import seq2seq from '@nnkit/plugin-seq2seq-attention';
import tasks from '@nnkit/plugin-tasks';
import { describe, expect, it } from 'vitest';
import recipes, { verdictOf } from './index.js';
import { toneUtterancesPlugin } from './speech/tone-utterances.fixture.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'packages', 'cli', 'dist', 'bin.js');

/** A kit with the plugins the recipes need, and `extra` (the audio, where a test gives it). */
function speechKit(...extra: NnkitPlugin[]) {
  // The native backend where there is one: its BlockLSTM runs the pyramid in a few kernels.
  return createKit({
    plugins: [tasks(), datasets(), lenet5(), cnnFeatures(), rnnLm(), lstm(), seq2seq(), captioner(), posTagging(), recipes(), ...extra],
    backend: 'auto',
    progress: silentProgress(),
  });
}

describe('the speech recipe (Listen, Attend and Spell in small)', () => {
  it('fails with the dataset’s PluginError, naming the GPL plugin, where no plugin gives the audio', async () => {
    const kit = await speechKit();
    const error = await kit
      .recipe('recipes/speech')
      .run({ quick: true, outDir: mkdtempSync(join(tmpdir(), 'nnkit-speech-')) }, { kit })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginError);
    expect((error as Error).message).toMatch(/Install @nnkit\/spoken-digits \(GPL-3\.0-or-later/);
  });

  it('quick, on tone strings in place of eSpeak NG: trains both models, draws attention.png, reports the targets as full run only, and the transcribe command it prints works', async () => {
    const kit = await speechKit(toneUtterancesPlugin());
    const outDir = mkdtempSync(join(tmpdir(), 'nnkit-speech-'));
    const started = performance.now();
    const result = await kit.recipe('recipes/speech').run({ quick: true, outDir }, { kit });
    console.log(`speech (quick, tones): ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(verdictOf(result.rows)).toMatchObject({ reproduced: true });
    const fullOnly = result.rows.filter((r) => r.target.includes('(full run only)'));
    expect(fullOnly.map((r) => r.ok)).toEqual([undefined, undefined, undefined]);
    expect(result.rows.find((r) => r.quantity.startsWith('character error rate on 16 utterances by 1 voice never'))).toBeDefined();
    expect(result.figures).toEqual([join(outDir, 'speech', 'attention.png')]);
    expect(readFileSync(result.figures[0]!).subarray(1, 4).toString()).toBe('PNG');
    const [command] = result.details!.commands as string[];
    expect(command).toMatch(/^nnkit transcribe .*speech\/model .*unheard-voice-\d+\.wav$/);
    expect(existsSync(join(outDir, 'speech', 'model', 'model.json'))).toBe(true);
    const { stdout } = await promisify(execFile)('/bin/sh', ['-c', `nnkit() { "${process.execPath}" "${CLI}" "$@"; }; ${command}`], {
      env: { ...process.env, NNKIT_BACKEND: 'auto' },
      timeout: 120_000,
    });
    expect(stdout.trim()).toMatch(/^\d*$/);
  }, 180_000);
});
