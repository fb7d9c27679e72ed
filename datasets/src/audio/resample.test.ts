import { describe, expect, it } from 'vitest';
import { ConfigError } from '@nnkit/core';
import { signalPower } from './noise.js';
import { resample } from './resample.js';

function tone(hz: number, seconds: number, sampleRate: number): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * sampleRate) }, (_, n) => Math.sin((2 * Math.PI * hz * n) / sampleRate));
}

/** The signal's middle, away from the edges where the kernel runs off the end. */
const middle = (x: Float32Array) => x.subarray(Math.floor(x.length / 4), Math.floor((3 * x.length) / 4));

describe('resampling', () => {
  it('turns 22,050 Hz into 16 kHz: a 1 kHz tone stays the same tone, sample for sample', () => {
    const out = resample(tone(1000, 0.5, 22_050), 22_050, 16_000);
    expect(out.length).toBe(8000);
    const expected = tone(1000, 0.5, 16_000);
    let worst = 0;
    for (let n = 2000; n < 6000; n++) worst = Math.max(worst, Math.abs(out[n]! - expected[n]!));
    expect(worst).toBeLessThan(2e-3);
  });

  it('filters out what 16 kHz cannot hold (a 10 kHz tone) rather than folding it back to 6 kHz', () => {
    const out = resample(tone(10_000, 0.5, 22_050), 22_050, 16_000);
    expect(signalPower(middle(out))).toBeLessThan(1e-4); // the tone's own power is 0.5
  });

  it('goes up too, and leaves a signal at its own rate as it is', () => {
    const out = resample(tone(500, 0.25, 8000), 8000, 16_000);
    expect(out.length).toBe(4000);
    expect(signalPower(middle(out))).toBeCloseTo(0.5, 2);
    const same = tone(500, 0.01, 8000);
    expect(resample(same, 8000, 8000)).toEqual(same);
  });

  it('refuses a rate that is not a whole number of Hz above 0', () => {
    expect(() => resample(new Float32Array(4), 0, 16_000)).toThrow(ConfigError);
    expect(() => resample(new Float32Array(4), 22_050, 16_000.5)).toThrow(/expects toRate a whole number of Hz > 0, got 16000\.5/);
  });
});
