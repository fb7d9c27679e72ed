import type { LogMelFrames } from './log-mel.js';

/**
 * Per-utterance mean and variance normalisation (CMVN): each band minus its mean over the utterance's frames,
 * divided by its standard deviation. It removes what is constant over an utterance (the channel, the loudness, much
 * of a voice's spectral tilt), so that a model sees how the spectrum moves rather than where a speaker sits.
 * A band that does not vary (silence at the floor) is only centred: `epsilon` keeps it from dividing by 0.
 */
export function normalizeUtterance(features: LogMelFrames, epsilon = 1e-5): LogMelFrames {
  const { frames, bands, values } = features;
  const out = new Float32Array(values.length);
  for (let m = 0; m < bands; m++) {
    let sum = 0;
    for (let t = 0; t < frames; t++) sum += values[t * bands + m]!;
    const mean = sum / frames;
    let squares = 0;
    for (let t = 0; t < frames; t++) squares += (values[t * bands + m]! - mean) ** 2;
    const scale = 1 / Math.sqrt(squares / frames + epsilon);
    for (let t = 0; t < frames; t++) out[t * bands + m] = (values[t * bands + m]! - mean) * scale;
  }
  return { frames, bands, values: out };
}
