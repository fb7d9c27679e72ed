import { ConfigError } from '@nnkit/core';

/**
 * The HTK mel scale (Young et al., The HTK Book, §5.4): mel(f) = 2595 · log10(1 + f / 700), linear-ish below
 * 1 kHz and logarithmic above. Kaldi's fbank uses it too (as 1127 · ln(1 + f/700), the same curve); librosa's
 * default is the Slaney scale instead, whose filters also differ in height.
 */
export function hzToMel(hz: number): number {
  return 2595 * Math.log10(1 + hz / 700);
}

export function melToHz(mel: number): number {
  return 700 * (10 ** (mel / 2595) - 1);
}

/** Triangular filters over the bins of a power spectrum, one row per mel band. */
export interface MelFilterbank {
  readonly bands: number;
  /** Each band's first bin and its weights from there (the rest are zero): filters are sparse. */
  readonly filters: readonly { readonly start: number; readonly weights: Float32Array }[];
  /** The band's centre frequencies in Hz, lowest first. */
  readonly centres: Float64Array;
}

export interface MelFilterbankOptions {
  readonly bands: number;
  /** FFT size: the spectrum has fftSize / 2 + 1 bins, bin k at k · sampleRate / fftSize Hz. */
  readonly fftSize: number;
  readonly sampleRate: number;
  readonly lowHz: number;
  readonly highHz: number;
}

/**
 * `bands` triangles with centres equally spaced in mel between `lowHz` and `highHz`; band m rises from centre m−1
 * to 1 at centre m and falls to 0 at centre m+1, and its weight at a bin is read at the bin's frequency (HTK's
 * filters: height 1, not normalised to equal area).
 */
export function melFilterbank(options: MelFilterbankOptions): MelFilterbank {
  const { bands, fftSize, sampleRate, lowHz, highHz } = options;
  if (!(Number.isInteger(bands) && bands >= 1)) throw new ConfigError(`melFilterbank expects bands ≥ 1, got ${bands}.`, 'bands');
  if (!(lowHz >= 0 && lowHz < highHz && highHz <= sampleRate / 2)) {
    throw new ConfigError(
      `melFilterbank expects 0 ≤ lowHz < highHz ≤ sampleRate / 2 (${sampleRate / 2} Hz), got ${lowHz} and ${highHz}. Lower highHz to the Nyquist frequency.`,
      'highHz',
    );
  }
  const low = hzToMel(lowHz);
  const step = (hzToMel(highHz) - low) / (bands + 1);
  const edges = Float64Array.from({ length: bands + 2 }, (_, i) => melToHz(low + i * step));
  const binHz = sampleRate / fftSize;
  const filters = [];
  for (let m = 1; m <= bands; m++) {
    const [left, centre, right] = [edges[m - 1]!, edges[m]!, edges[m + 1]!];
    const start = Math.ceil(left / binHz);
    const end = Math.min(Math.floor(right / binHz), fftSize / 2);
    const weights = new Float32Array(Math.max(0, end - start + 1));
    for (let k = start; k <= end; k++) {
      const hz = k * binHz;
      weights[k - start] = hz <= centre ? (hz - left) / (centre - left) : (right - hz) / (right - centre);
    }
    filters.push({ start, weights });
  }
  return { bands, filters, centres: edges.slice(1, bands + 1) };
}
