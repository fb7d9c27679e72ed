import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@nnkit/core';
import { addWhiteNoise, signalPower } from './noise.js';

describe('white noise at a signal-to-noise ratio', () => {
  const signal = Float32Array.from({ length: 48_000 }, (_, n) => 0.3 * Math.sin(n / 5));

  it.each([0, 10, 20, 30])('adds noise %i dB below the signal', (snrDb) => {
    const noisy = addWhiteNoise(signal, snrDb, mulberry32(1));
    const added = noisy.map((x, n) => x - signal[n]!);
    expect(10 * Math.log10(signalPower(signal) / signalPower(added))).toBeCloseTo(snrDb, 1);
  });

  it('is the same for the same seed and different for another', () => {
    expect(addWhiteNoise(signal, 10, mulberry32(5))).toEqual(addWhiteNoise(signal, 10, mulberry32(5)));
    expect(addWhiteNoise(signal, 10, mulberry32(5))).not.toEqual(addWhiteNoise(signal, 10, mulberry32(6)));
  });
});
