import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kit } from '@nnkit/core';
import datasets, { type SpokenDigitsCorpus } from '@nnkit/datasets';
import { createKit, silentProgress } from '@nnkit/kit';
import spokenDigits from './index.js';
import { temporaryCaches } from './temporary-cache.fixture.js';

const temporaryCache = temporaryCaches();

function hashFeatures(corpus: SpokenDigitsCorpus): string {
  const hash = createHash('sha256');
  for (const split of ['train', 'validation', 'test'] as const) for (const example of corpus[split]) hash.update(example.frames);
  return hash.digest('hex');
}

const SMALL = { train: 1, validation: 1, test: 1, minDigits: 3, maxDigits: 4 };

describe('datasets/spoken-digits over eSpeak NG, as an app loads it', () => {
  let kit: Kit;
  beforeAll(async () => {
    kit = await createKit({ plugins: [datasets(), spokenDigits()], backend: 'cpu', progress: silentProgress() });
  });

  it('gives log-mel frames of plausible length and the digits spoken; test voices are not training voices', async () => {
    const corpus = await kit.loadDataset('datasets/spoken-digits', { ...SMALL, cacheDir: await temporaryCache() });
    for (const example of [...corpus.train, ...corpus.validation, ...corpus.test]) {
      // 3–4 digits at 120–200 words a minute: about 0.8–2.5 s, 80–250 frames of 10 ms.
      expect(example.frameCount).toBeGreaterThan(60);
      expect(example.frameCount).toBeLessThan(300);
      expect(example.frames.length).toBe(example.frameCount * 40);
      expect(corpus.targetVocabulary.decode(example.targets[0]!).join('')).toBe(example.transcript);
    }
    for (const example of corpus.test) expect(corpus.voices.train).not.toContain(example.voice);
  });

  it('is the same, bit for bit, for the same seed, from a warm cache and from a cold one', async () => {
    // Another seed's other noise and plan are checked without eSpeak NG (datasets' spoken-digits.test.ts, voices.test.ts).
    const cacheDir = await temporaryCache();
    const first = hashFeatures(await kit.loadDataset('datasets/spoken-digits', { ...SMALL, cacheDir }));
    expect(hashFeatures(await kit.loadDataset('datasets/spoken-digits', { ...SMALL, cacheDir }))).toBe(first);
    expect(hashFeatures(await kit.loadDataset('datasets/spoken-digits', { ...SMALL, cacheDir: await temporaryCache() }))).toBe(first);
  });
});
