import { ConfigError } from '@nnkit/core';

/** Input samples on each side of an output sample that the interpolation kernel reaches. */
const HALF_WIDTH = 32;
/** Past this many distinct kernel phases the table would cost more than it saves: compute each tap instead. */
const MOST_PHASES = 4096;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The band-limited interpolation kernel: a sinc low-pass at `cutoff` (cycles per input sample) under a Blackman
 * window of ±HALF_WIDTH input samples, at offset x (in input samples) from the output instant.
 */
function kernel(x: number, cutoff: number): number {
  if (Math.abs(x) >= HALF_WIDTH) return 0;
  const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
  const u = (x + HALF_WIDTH) / (2 * HALF_WIDTH); // 0 … 1 across the window
  return sinc * (0.42 - 0.5 * Math.cos(2 * Math.PI * u) + 0.08 * Math.cos(4 * Math.PI * u));
}

/**
 * Resamples a signal from `fromRate` to `toRate` by windowed-sinc interpolation (Smith, "Digital Audio Resampling").
 * When going down, the low-pass sits at 0.95 of the new Nyquist frequency, so that what the lower rate cannot hold
 * is filtered out rather than folded back (eSpeak NG's 22,050 Hz → 16 kHz keeps 0 – 7.6 kHz). The two rates in
 * lowest terms, L/M, have L distinct kernel phases; they are tabulated once when there are few enough. The output
 * has round(length · toRate / fromRate) samples; samples past either end count as 0.
 */
export function resample(signal: Float32Array, fromRate: number, toRate: number): Float32Array {
  for (const [name, rate] of [
    ['fromRate', fromRate],
    ['toRate', toRate],
  ] as const) {
    if (!(Number.isInteger(rate) && rate > 0))
      throw new ConfigError(`resample expects ${name} a whole number of Hz > 0, got ${rate}.`, name);
  }
  if (fromRate === toRate) return signal.slice();
  const divisor = gcd(fromRate, toRate);
  const up = toRate / divisor; // L: output samples per period
  const down = fromRate / divisor; // M: input samples per period
  const cutoff = 0.5 * Math.min(1, toRate / fromRate) * (toRate < fromRate ? 0.95 : 1); // cycles per input sample
  const length = Math.round((signal.length * toRate) / fromRate);
  const out = new Float32Array(length);
  const taps = 2 * HALF_WIDTH;
  // Phase p = (n · M) mod L puts output n at input position base + p / L; its weights over base − HALF_WIDTH + 1 … base + HALF_WIDTH.
  const table = up <= MOST_PHASES ? new Float64Array(up * taps) : undefined;
  if (table) {
    for (let p = 0; p < up; p++) {
      for (let j = 0; j < taps; j++) table[p * taps + j] = kernel(p / up - (j - HALF_WIDTH + 1), cutoff);
    }
  }
  for (let n = 0; n < length; n++) {
    const base = Math.floor((n * down) / up);
    const phase = (n * down) % up;
    let sum = 0;
    for (let j = 0; j < taps; j++) {
      const i = base - HALF_WIDTH + 1 + j;
      if (i < 0 || i >= signal.length) continue;
      sum += signal[i]! * (table ? table[phase * taps + j]! : kernel(phase / up - (j - HALF_WIDTH + 1), cutoff));
    }
    out[n] = sum;
  }
  return out;
}
