import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError, PluginError } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import datasetsPlugin from '../index.js';
import { fakeUtterancesPlugin } from './fake-utterances.fixture.js';
import type { SpokenDigitsCorpus } from './spoken-digits.js';

const SMALL = { train: 4, validation: 2, test: 2 };

function hashFeatures(corpus: SpokenDigitsCorpus): string {
  const hash = createHash('sha256');
  for (const split of ['train', 'validation', 'test'] as const) for (const example of corpus[split]) hash.update(example.frames);
  return hash.digest('hex');
}

describe('datasets/spoken-digits (over a stand-in for @nnkit/spoken-digits)', () => {
  it('turns each utterance into normalised 40-band log-mel frames and its digits as ids', async () => {
    const calls: Record<string, unknown>[] = [];
    const kit = await createKit({ plugins: [datasetsPlugin(), fakeUtterancesPlugin(calls)], backend: 'cpu', progress: silentProgress() });
    const corpus = await kit.loadDataset('datasets/spoken-digits', { ...SMALL, seed: 3, cacheDir: '/nowhere' });
    expect(calls).toEqual([{ ...SMALL, seed: 3, minDigits: 3, maxDigits: 7, cacheDir: '/nowhere' }]);
    expect([corpus.kind, corpus.train.length, corpus.validation.length, corpus.test.length, corpus.featureSize]).toEqual([
      'spoken-digits',
      4,
      2,
      2,
      40,
    ]);
    expect(corpus.features).toMatchObject({ sampleRate: 16_000, windowLength: 400, hopLength: 160, fftSize: 512, bands: 40 });
    for (const example of corpus.train) {
      // 3 digits of 0.2 s: 0.6 s at 16 kHz is 9,600 samples, 58 frames of 25 ms every 10 ms.
      expect(example.frameCount).toBe(58);
      expect(example.frames.length).toBe(58 * 40);
      expect(corpus.targetVocabulary.decode(example.targets[0]!).join('')).toBe(example.transcript);
      expect(example.snrDb).toBeGreaterThanOrEqual(10);
      expect(example.snrDb).toBeLessThanOrEqual(30);
    }
    expect(corpus.voices.test).toEqual(['tone-d']);
    expect(corpus.targetVocabulary.tokens).toEqual(['<pad>', '<s>', '</s>', '<unk>', ...'0123456789']);
  });

  it('gives the same features, bit for bit, for the same options, and other noise for another seed', async () => {
    const kit = await createKit({ plugins: [datasetsPlugin(), fakeUtterancesPlugin()], backend: 'cpu', progress: silentProgress() });
    const first = hashFeatures(await kit.loadDataset('datasets/spoken-digits', SMALL));
    expect(hashFeatures(await kit.loadDataset('datasets/spoken-digits', SMALL))).toBe(first);
    expect(hashFeatures(await kit.loadDataset('datasets/spoken-digits', { ...SMALL, seed: 2 }))).not.toBe(first);
    // Clean audio (100 dB) against the default noise: the noise is really in the features.
    expect(hashFeatures(await kit.loadDataset('datasets/spoken-digits', { ...SMALL, minSnrDb: 100, maxSnrDb: 100 }))).not.toBe(first);
  });

  it('says which plugin to load when nothing gives spoken-digits/utterances', async () => {
    const kit = await createKit({ plugins: [datasetsPlugin()], backend: 'cpu', progress: silentProgress() });
    const error = await kit.loadDataset('datasets/spoken-digits', SMALL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginError);
    expect((error as Error).message).toMatch(
      /expects the dataset 'spoken-digits\/utterances' to be registered, got none.*Install @nnkit\/spoken-digits \(GPL-3\.0-or-later/,
    );
  });

  it('refuses ranges the wrong way round and data of another shape', async () => {
    const kit = await createKit({ plugins: [datasetsPlugin(), fakeUtterancesPlugin()], backend: 'cpu', progress: silentProgress() });
    await expect(kit.loadDataset('datasets/spoken-digits', { minDigits: 5, maxDigits: 4 })).rejects.toThrow(ConfigError);
    await expect(kit.loadDataset('datasets/spoken-digits', { minSnrDb: 20, maxSnrDb: 5 })).rejects.toThrow(
      /expects minSnrDb ≤ maxSnrDb, got 20 > 5/,
    );
    await expect(kit.loadDataset('datasets/spoken-digits', { tset: 4 })).rejects.toThrow(/Did you mean 'test'\?/);
    const odd = await createKit({
      plugins: [datasetsPlugin(), fakeUtterancesPlugin([], 'waveforms')],
      backend: 'cpu',
      progress: silentProgress(),
    });
    await expect(odd.loadDataset('datasets/spoken-digits', SMALL)).rejects.toThrow(DataError);
  });
});
