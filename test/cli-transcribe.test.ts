import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKit, silentProgress } from '@nnkit/kit';
import { SEQUENCE_ENDS } from '@nnkit/core';
import { speechFrontEnd, writeWav } from '@nnkit/datasets';
import { saveModel, train } from '@nnkit/train';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinPlugins } from '../packages/cli/src/builtin-plugins.js';
import type { Listener } from '@nnkit/plugin-seq2seq-attention';
import { speechBatches } from '@nnkit/plugin-tasks';
import { nnkit, nnkitJson } from './helpers.js';

const FAST = { NNKIT_BACKEND: 'auto' };
/** '<pad>', '<s>', '</s>', '<unk>', then the digits as ids 4–13, as datasets/spoken-digits has them. */
const VOCABULARY = ['<pad>', '<s>', '</s>', '<unk>', ...'0123456789'];

/** Digits as tones, 400 Hz for 0 up to 2,200 Hz for 9, 0.15 s each and 0.05 s apart, at 16 kHz: a stand-in for speech. */
function toneWav(digits: string): Uint8Array {
  const rate = 16_000;
  const samples: number[] = [];
  for (const d of digits) {
    for (let n = 0; n < 0.15 * rate; n++) samples.push(Math.round(8000 * Math.sin((2 * Math.PI * (400 + 200 * Number(d)) * n) / rate)));
    for (let n = 0; n < 0.05 * rate; n++) samples.push(0);
  }
  return writeWav({ sampleRate: rate, samples: Int16Array.from(samples) });
}

describe('nnkit transcribe', () => {
  const root = mkdtempSync(join(tmpdir(), 'nnkit-cli-transcribe-'));
  const modelDir = join(root, 'model');
  const wav = join(root, '417.wav');
  const translatorDir = join(root, 'translator');
  let inProcess: string;

  beforeAll(async () => {
    // A tiny listener trained a little on tone strings, saved with its vocabulary and front end as the speech task saves them.
    const kit = await createKit({ plugins: await builtinPlugins(), backend: 'auto', progress: silentProgress(), seed: 3 });
    const frontEnd = speechFrontEnd();
    const strings = Array.from({ length: 48 }, (_, i) => String((i * 7919) % 1000).padStart(3, '0'));
    const utterances = strings.map((digits) => {
      const { frames, values } = frontEnd.features(toneWav(digits), digits);
      return { frames: values, frameCount: frames, targets: [[...digits].map((d) => 4 + Number(d))] };
    });
    const instance = await kit.createModel<Listener>('seq2seq/listener', {
      config: { featureSize: 40, targetVocabularySize: VOCABULARY.length, units: 16, projection: 16, embedding: 8 },
    });
    await train({
      model: instance.model,
      data: speechBatches(utterances, { batchSize: 16, featureSize: 40, ...SEQUENCE_ENDS }),
      epochs: 3,
      optimizer: { name: 'adam', learningRate: 0.01 },
      seed: 1,
    });
    await saveModel(modelDir, instance, { vocabulary: VOCABULARY, separator: '', features: { ...frontEnd.settings } });
    writeFileSync(wav, toneWav('417'));
    // At the CLI's length limit, so that a model that never ends its transcript is cut where the CLI cuts it.
    const { tokens } = await instance.model.transcribe([frontEnd.features(toneWav('417'), wav).values], { maxLength: 200 });
    inProcess = tokens[0]!.map((id: number) => VOCABULARY[id]).join('');
    instance.model.dispose();
    const translator = await kit.createModel('seq2seq/translator', {
      config: { sourceVocabularySize: VOCABULARY.length, targetVocabularySize: VOCABULARY.length, units: 4, embedding: 4 },
    });
    const digits = { source: VOCABULARY, target: VOCABULARY, sourceSeparator: '', targetSeparator: '' };
    await saveModel(translatorDir, translator, { vocabularies: digits });
    translator.model.dispose?.();
  }, 120_000);

  it('prints what the saved model hears in a WAV file, exactly as the model does in process', async () => {
    const answer = await nnkitJson(['transcribe', modelDir, wav], undefined, FAST);
    expect(answer).toMatchObject({ model: 'seq2seq/listener', transcript: inProcess, beam: 1, cut: false });
    expect(answer.transcript).toMatch(/^\d*$/);
    expect(answer.seconds).toBeCloseTo(0.6, 1);
    const grid = await nnkit(['transcribe', modelDir, wav, '--attention'], undefined, FAST);
    expect(grid.code, grid.stderr).toBe(0);
    expect(grid.stdout).toContain('one column per encoder step');
  }, 120_000);

  it('refuses a missing file, a file that is not WAV and a model that is not a speech recognizer, each saying what to do', async () => {
    const missing = await nnkit(['transcribe', modelDir, join(root, 'nowhere.wav')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/expects a WAV file at .*nowhere\.wav, got no such file/);
    const text = join(root, 'notes.wav');
    writeFileSync(text, 'four one seven, said aloud');
    const notWav = await nnkit(['transcribe', modelDir, text]);
    expect(notWav.code).not.toBe(0);
    expect(notWav.stderr).toMatch(/It is not a WAV file/);
    // A translator decodes too, but reads ids, not sound.
    const notSpeech = await nnkit(['transcribe', translatorDir, wav]);
    expect(notSpeech.code).not.toBe(0);
    expect(notSpeech.stderr).toMatch(/transcribe expects a saved speech recognizer .*got seq2seq\/translator.*nnkit recipe speech/);
    // And the other way round: the commands for other kinds of model point a speech recognizer here.
    const sample = await nnkit(['sample', modelDir]);
    expect(sample.stderr).toContain('sample expects a language model, got seq2seq/listener, a speech recognizer: use nnkit transcribe.');
  }, 180_000);
});
