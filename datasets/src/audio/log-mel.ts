import { ConfigError } from '@nnkit/core';
import { realFft } from './fft.js';
import { melFilterbank, type MelFilterbank } from './mel.js';

export interface LogMelOptions {
  /** Samples per second of the signal. Default 16,000. */
  readonly sampleRate?: number;
  /** Window length in seconds. Default 0.025 (25 ms, 400 samples at 16 kHz), as Kaldi's and HTK's front ends. */
  readonly windowSeconds?: number;
  /** Hop between windows in seconds. Default 0.010 (10 ms: 100 frames a second). */
  readonly hopSeconds?: number;
  /** Mel bands. Default 40 (Listen, Attend and Spell used 40 log-mel filterbank features; Chan et al. 2016). */
  readonly bands?: number;
  /** Lowest filter edge in Hz. Default 20 (below it is rumble). */
  readonly lowHz?: number;
  /** Highest filter edge in Hz. Default the Nyquist frequency, sampleRate / 2. */
  readonly highHz?: number;
  /** Pre-emphasis y[n] = x[n] − a·x[n−1] over the whole signal: a = 0 turns it off. Default 0.97 (Kaldi's). */
  readonly preEmphasis?: number;
  /**
   * The least filterbank energy before the log, so that silence gives log(floor) rather than −∞. Default 1e-10
   * (−230 dB below full scale for samples in [−1, 1]): under anything a 16-bit recording holds.
   */
  readonly floor?: number;
  /**
   * The dynamic range kept, in dB: no value lies more than this below the utterance's loudest band (as librosa's
   * `top_db`). Default 60. Without it the silence of a clean recording sits at log(floor), far below the noise floor
   * of anything a model heard in training: a listener trained at 10–30 dB SNR misread clean eSpeak NG audio it read
   * right with noise at 20 or 40 dB.
   */
  readonly rangeDb?: number;
}

/** Frames of log-mel energies, row-major: frame t's band m is `values[t * bands + m]`. */
export interface LogMelFrames {
  readonly frames: number;
  readonly bands: number;
  readonly values: Float32Array;
}

/** The settings actually used: `logMelSettings(options)` fills the defaults and derives the sizes. */
export interface LogMelSettings {
  readonly sampleRate: number;
  readonly windowLength: number;
  readonly hopLength: number;
  /** The FFT size: the window length rounded up to a power of two (400 → 512), the window zero-padded to it. */
  readonly fftSize: number;
  readonly bands: number;
  readonly lowHz: number;
  readonly highHz: number;
  readonly preEmphasis: number;
  readonly floor: number;
  readonly rangeDb: number;
}

export function logMelSettings(options: LogMelOptions = {}): LogMelSettings {
  const sampleRate = options.sampleRate ?? 16_000;
  const windowLength = Math.round((options.windowSeconds ?? 0.025) * sampleRate);
  const hopLength = Math.round((options.hopSeconds ?? 0.01) * sampleRate);
  const preEmphasis = options.preEmphasis ?? 0.97;
  const floor = options.floor ?? 1e-10;
  if (!(windowLength >= 4 && hopLength >= 1)) {
    throw new ConfigError(
      `logMel expects a window of at least 4 samples and a hop of at least 1, got ${windowLength} and ${hopLength} at ${sampleRate} Hz. Lengthen windowSeconds or hopSeconds.`,
      'windowSeconds',
    );
  }
  if (!(preEmphasis >= 0 && preEmphasis < 1))
    throw new ConfigError(`logMel expects 0 ≤ preEmphasis < 1, got ${preEmphasis}.`, 'preEmphasis');
  if (!(floor > 0)) throw new ConfigError(`logMel expects a floor > 0, got ${floor}: the log of 0 is −∞.`, 'floor');
  const rangeDb = options.rangeDb ?? 60;
  if (!(rangeDb > 0))
    throw new ConfigError(`logMel expects rangeDb > 0, got ${rangeDb}. 60 keeps 60 dB below the loudest band.`, 'rangeDb');
  return {
    sampleRate,
    windowLength,
    hopLength,
    fftSize: 2 ** Math.ceil(Math.log2(windowLength)),
    bands: options.bands ?? 40,
    lowHz: options.lowHz ?? 20,
    highHz: options.highHz ?? sampleRate / 2,
    preEmphasis,
    floor,
    rangeDb,
  };
}

/** Frames a signal of `samples` samples gives: whole windows only (Kaldi's snip-edges), none when it is too short. */
export function frameCount(samples: number, settings: LogMelSettings): number {
  return samples < settings.windowLength ? 0 : 1 + Math.floor((samples - settings.windowLength) / settings.hopLength);
}

/**
 * A log-mel spectrogram: pre-emphasis, then for each window (periodic Hann, w[n] = 0.5 − 0.5·cos(2πn/L)) the power
 * spectrum |X[k]|² of a real FFT, summed through the triangular HTK-mel filters, then the natural log of
 * max(energy, floor), raised to at least the loudest value less `rangeDb` dB. An analyser made once (filters, FFT tables, window) serves every signal of its sample rate.
 */
export function logMelAnalyser(options: LogMelOptions = {}): { settings: LogMelSettings; analyse(signal: Float32Array): LogMelFrames } {
  const settings = logMelSettings(options);
  const { windowLength, hopLength, fftSize, bands, preEmphasis, floor, rangeDb } = settings;
  const range = (rangeDb / 10) * Math.LN10; // dB of power, in nats
  const filterbank: MelFilterbank = melFilterbank({ ...settings, fftSize });
  const fft = realFft(fftSize);
  const window = Float64Array.from({ length: windowLength }, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / windowLength));
  const frame = new Float64Array(fftSize);
  const re = new Float64Array(fftSize / 2 + 1);
  const im = new Float64Array(fftSize / 2 + 1);
  const power = new Float64Array(fftSize / 2 + 1);
  return {
    settings,
    analyse(signal) {
      const emphasised = new Float64Array(signal.length);
      for (let n = 0; n < signal.length; n++) emphasised[n] = signal[n]! - (n > 0 ? preEmphasis * signal[n - 1]! : 0);
      const frames = frameCount(signal.length, settings);
      const values = new Float32Array(frames * bands);
      for (let t = 0; t < frames; t++) {
        const offset = t * hopLength;
        for (let n = 0; n < windowLength; n++) frame[n] = emphasised[offset + n]! * window[n]!;
        fft.transform(frame, re, im); // frame[windowLength…fftSize) stays 0: zero padding
        for (let k = 0; k < power.length; k++) power[k] = re[k]! * re[k]! + im[k]! * im[k]!;
        for (let m = 0; m < bands; m++) {
          const { start, weights } = filterbank.filters[m]!;
          let energy = 0;
          for (let j = 0; j < weights.length; j++) energy += weights[j]! * power[start + j]!;
          values[t * bands + m] = Math.log(Math.max(energy, floor));
        }
      }
      let loudest = -Infinity;
      for (const value of values) loudest = Math.max(loudest, value);
      for (let i = 0; i < values.length; i++) values[i] = Math.max(values[i]!, loudest - range);
      return { frames, bands, values };
    },
  };
}

/** The log-mel spectrogram of one signal (see logMelAnalyser, which reuses its tables across signals). */
export function logMel(signal: Float32Array, options: LogMelOptions = {}): LogMelFrames {
  return logMelAnalyser(options).analyse(signal);
}
