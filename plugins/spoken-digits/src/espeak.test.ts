import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '@nnkit/core';
import { readWav, writeWav } from '@nnkit/datasets';
import { digitWords } from './digit-words.js';
import { espeakSynthesizer, espeakVoices } from './espeak.js';
import { ACCENTS, VARIANTS, voiceName } from './voices.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const say = (voice: string, text = 'one', wordsPerMinute = 175, pitch = 50) => espeakSynthesizer({ voice, wordsPerMinute, pitch, text });

describe('eSpeak NG', () => {
  it('says a digit string as a 22,050 Hz mono WAV of plausible length, slower at fewer words per minute', async () => {
    const text = digitWords('41709');
    expect(text).toBe('four one seven zero nine');
    const [slow, fast] = await Promise.all([say('en-us', text, 120), say('en-us', text, 200)]);
    const seconds = (bytes: Uint8Array) => {
      const audio = readWav(bytes);
      expect(audio.sampleRate).toBe(22_050);
      return audio.samples.length / audio.sampleRate;
    };
    // Five words at 120 words a minute is 2.5 s by the clock (eSpeak NG: 3.0 s with its pauses); at 200, 1.5 s (1.6 s).
    expect(seconds(slow)).toBeGreaterThan(2);
    expect(seconds(slow)).toBeLessThan(4);
    expect(seconds(fast)).toBeGreaterThan(1);
    expect(seconds(fast)).toBeLessThan(seconds(slow) * 0.7);
    // Its header is the canonical one: reading and writing the file again gives the same bytes.
    expect(writeWav(readWav(slow))).toEqual(slow);
  });

  it('gives the same bytes for the same request, even for a breathy variant on a clock that moves', async () => {
    // f3 mixes random breath into the voice, seeded by eSpeak NG from the time: the plugin fixes the clock it sees.
    let clock = 0;
    const now = vi.spyOn(Date, 'now').mockImplementation(() => (clock += 60_000)); // a minute later at every look
    try {
      const first = await say('en-us+f3', 'seven two');
      expect(sha(await say('en-us+f3', 'seven two'))).toBe(sha(first));
    } finally {
      now.mockRestore();
    }
  });

  it('has every accent and variant of the fixed list (none would silently fall back to the plain accent)', async () => {
    const { languages, variants } = await espeakVoices('en');
    for (const accent of ACCENTS) expect(languages).toContain(accent);
    for (const variant of VARIANTS.filter((v) => v !== '')) expect(variants).toContain(variant);
  });

  it('sounds different in another accent, another variant, and both', async () => {
    // 'four': en-us-nyc says most digits as en-us does (voices.ts), but not this one.
    const voices = ['en-us', 'en-us-nyc', voiceName('en-us', 'm3'), voiceName('en-gb-scotland', 'f3')];
    const hashes = new Set(await Promise.all(voices.map(async (voice) => sha(await say(voice, 'four')))));
    expect(hashes.size).toBe(voices.length);
  });

  it('refuses a voice it does not have with a ConfigError, leaving the process exit code as it was', async () => {
    const exitCode = process.exitCode;
    await expect(say('xx-nowhere')).rejects.toThrow(ConfigError);
    await expect(say('xx-nowhere')).rejects.toThrow(/expects a voice it has .*, got 'xx-nowhere'/);
    // Emscripten sets process.exitCode to main()'s status (1 here): a handled error must not fail the application.
    expect(process.exitCode).toBe(exitCode);
  });
});
