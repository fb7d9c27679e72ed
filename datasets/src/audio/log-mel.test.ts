import { describe, expect, it } from 'vitest';
import { ConfigError, mulberry32 } from '@nnkit/core';
import { frameCount, logMel, logMelSettings } from './log-mel.js';
import { hzToMel, melFilterbank, melToHz } from './mel.js';
import { normalizeUtterance } from './normalize.js';

function tone(hz: number, seconds: number, sampleRate = 16_000, amplitude = 0.5): Float32Array {
  return Float32Array.from(
    { length: Math.round(seconds * sampleRate) },
    (_, n) => amplitude * Math.sin((2 * Math.PI * hz * n) / sampleRate),
  );
}

/** The band whose energy is highest, per frame. */
function loudestBands(frames: { frames: number; bands: number; values: Float32Array }): number[] {
  return Array.from({ length: frames.frames }, (_, t) => {
    const row = frames.values.subarray(t * frames.bands, (t + 1) * frames.bands);
    return row.indexOf(Math.max(...row));
  });
}

describe('the HTK mel scale', () => {
  it('maps 1 kHz to about 1000 mel, and back', () => {
    expect(hzToMel(1000)).toBeCloseTo(1000, 0);
    expect(melToHz(hzToMel(3456))).toBeCloseTo(3456, 6);
  });

  it('gives triangles of height ≤ 1 centred where the mel steps say, over the bins they cover', () => {
    const bank = melFilterbank({ bands: 40, fftSize: 512, sampleRate: 16_000, lowHz: 20, highHz: 8000 });
    expect(bank.filters).toHaveLength(40);
    for (const { weights } of bank.filters) expect(Math.max(...weights)).toBeLessThanOrEqual(1);
    const steps = Array.from({ length: 39 }, (_, m) => hzToMel(bank.centres[m + 1]!) - hzToMel(bank.centres[m]!));
    for (const step of steps) expect(step).toBeCloseTo(steps[0]!, 6);
  });
});

describe('the log-mel spectrogram', () => {
  it('puts a pure tone in the band whose centre is nearest, in every frame', () => {
    const settings = logMelSettings();
    const bank = melFilterbank({ ...settings, fftSize: settings.fftSize });
    for (const hz of [300, 1000, 2500, 6000]) {
      const nearest = [...bank.centres].reduce((best, c, m) => (Math.abs(c - hz) < Math.abs(bank.centres[best]! - hz) ? m : best), 0);
      const frames = logMel(tone(hz, 0.5));
      expect(new Set(loudestBands(frames)), `${hz} Hz`).toEqual(new Set([nearest]));
    }
  });

  it('frames whole 25 ms windows every 10 ms: 1 s at 16 kHz gives 98 frames of 40 bands', () => {
    const frames = logMel(tone(440, 1));
    expect([frames.frames, frames.bands, frames.values.length]).toEqual([98, 40, 98 * 40]);
    expect(frameCount(399, logMelSettings())).toBe(0);
    expect(logMel(new Float32Array(100)).frames).toBe(0);
  });

  it('floors the log: silence gives log(floor), not −∞', () => {
    const frames = logMel(new Float32Array(1600));
    expect(new Set(frames.values)).toEqual(new Set([Math.fround(Math.log(1e-10))]));
  });

  it('keeps rangeDb below the loudest band: a clean recording’s silence sits at loudest − 60 dB, not at log(floor)', () => {
    const signal = new Float32Array(8000);
    signal.set(tone(1000, 0.2, 16_000, 0.5).subarray(0, 4000)); // a tone, then a quarter of a second of silence
    const clamped = logMel(signal);
    const loudest = Math.max(...clamped.values);
    const lowest = loudest - 6 * Math.LN10; // 60 dB of power, in nats
    expect(Math.min(...clamped.values)).toBeCloseTo(lowest, 4);
    expect(clamped.values.at(-1)).toBeCloseTo(lowest, 4); // the silence
    const wide = logMel(signal, { rangeDb: 1000 });
    expect(wide.values.at(-1)).toBeCloseTo(Math.log(1e-10), 4);
    expect(() => logMelSettings({ rangeDb: 0 })).toThrow(/rangeDb > 0, got 0/);
  });

  it('is louder by 20·log10(2) dB, as a log, for a tone twice the amplitude (pre-emphasis off)', () => {
    const quiet = logMel(tone(1000, 0.2, 16_000, 0.25), { preEmphasis: 0 });
    const loud = logMel(tone(1000, 0.2, 16_000, 0.5), { preEmphasis: 0 });
    const band = loudestBands(quiet)[0]!;
    expect(loud.values[band]! - quiet.values[band]!).toBeCloseTo(Math.log(4), 4);
  });

  it('refuses settings that cannot work, naming them', () => {
    expect(() => logMel(tone(440, 0.1), { highHz: 9000 })).toThrow(ConfigError);
    expect(() => logMel(tone(440, 0.1), { highHz: 9000 })).toThrow(/highHz ≤ sampleRate \/ 2 \(8000 Hz\), got 20 and 9000/);
    expect(() => logMelSettings({ preEmphasis: 1 })).toThrow(/0 ≤ preEmphasis < 1, got 1/);
    expect(() => logMelSettings({ floor: 0 })).toThrow(/floor > 0, got 0/);
  });
});

describe('per-utterance normalisation', () => {
  it('leaves each band with mean 0 and variance 1 over the frames', () => {
    // White noise whose loudness swells and fades, so that every band varies over time.
    const random = mulberry32(9);
    const frames = normalizeUtterance(logMel(Float32Array.from({ length: 8000 }, (_, n) => (random() - 0.5) * (1.1 + Math.sin(n / 900)))));
    for (let m = 0; m < frames.bands; m++) {
      const column = Array.from({ length: frames.frames }, (_, t) => frames.values[t * frames.bands + m]!);
      const mean = column.reduce((a, b) => a + b) / column.length;
      const variance = column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length;
      expect(mean).toBeCloseTo(0, 4);
      expect(variance).toBeCloseTo(1, 3);
    }
  });
});
