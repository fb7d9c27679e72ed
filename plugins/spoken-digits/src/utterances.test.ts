import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, StorageError } from '@nnkit/core';
import { digitWords } from './digit-words.js';
import { espeakSynthesizer, type SpeechRequest, type Synthesizer } from './espeak.js';
import { loadUtterances } from './utterances.js';
import { temporaryCaches } from './temporary-cache.fixture.js';

const temporaryCache = temporaryCaches();

/** eSpeak NG, counting what it is asked. */
function countingSynthesizer(): { synthesize: Synthesizer; requests: SpeechRequest[] } {
  const requests: SpeechRequest[] = [];
  return { requests, synthesize: (request) => (requests.push(request), espeakSynthesizer(request)) };
}

const SMALL = { train: 2, validation: 1, test: 1, minDigits: 3, maxDigits: 4 };

describe('spoken-digits/utterances', () => {
  it('synthesizes what the cache lacks, once: a second load reads every file from the cache', async () => {
    const cacheDir = await temporaryCache();
    const first = countingSynthesizer();
    const loaded = await loadUtterances({ ...SMALL, cacheDir }, { synthesize: first.synthesize });
    expect(first.requests).toHaveLength(4);
    expect(first.requests.map((r) => r.text)).toEqual(
      [...loaded.train, ...loaded.validation, ...loaded.test].map((u) => digitWords(u.digits)),
    );
    const second = countingSynthesizer();
    const again = await loadUtterances({ ...SMALL, cacheDir }, { synthesize: second.synthesize });
    expect(second.requests).toHaveLength(0);
    expect(await again.test[0]!.wav()).toEqual(await loaded.test[0]!.wav());
    expect(again.test[0]!.file.startsWith(cacheDir)).toBe(true);
    // Written atomically: only finished .wav files, no temporary ones left behind.
    const files = await readdir(cacheDir, { recursive: true });
    expect([files.filter((f) => f.endsWith('.wav')).length, files.filter((f) => f.endsWith('.tmp'))]).toEqual([4, []]);
  });

  it('keeps the held-out voices out of training', async () => {
    const loaded = await loadUtterances({ ...SMALL, cacheDir: await temporaryCache() }, { synthesize: async () => new Uint8Array(0) });
    for (const u of loaded.train) expect(loaded.voices.train).toContain(u.voice);
    for (const u of loaded.test) expect(loaded.voices.test).toContain(u.voice);
    expect(loaded.voices.train.some((voice) => loaded.voices.test.includes(voice))).toBe(false);
  });

  it('refuses bad options with a ConfigError, before synthesizing anything', async () => {
    const never: Synthesizer = () => Promise.reject(new Error('should not synthesize'));
    await expect(loadUtterances({ minDigits: 5, maxDigits: 3 }, { synthesize: never })).rejects.toThrow(
      /expects minDigits ≤ maxDigits, got 5 > 3/,
    );
    await expect(loadUtterances({ train: 0 }, { synthesize: never })).rejects.toThrow(ConfigError);
    await expect(loadUtterances({ train: 2.5 }, { synthesize: never })).rejects.toThrow(/expects an integer ≥ 1/);
    await expect(loadUtterances({ seeds: 2 } as never, { synthesize: never })).rejects.toThrow(/Did you mean 'seed'\?/);
  });

  it('says where it could not write, as a StorageError', async () => {
    const file = join(await temporaryCache(), 'a-file');
    await writeFile(file, 'not a folder');
    const error = await loadUtterances({ ...SMALL, cacheDir: file }, { synthesize: async () => new Uint8Array(4) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/expects to write .*a-file.*\.wav, got ENOTDIR\..*set the dataset's cacheDir/);
  });
});
