import { DataError } from '@nnkit/core';
import { logMelAnalyser, type LogMelFrames, type LogMelOptions, type LogMelSettings } from './log-mel.js';
import { addWhiteNoise } from './noise.js';
import { normalizeUtterance } from './normalize.js';
import { resample } from './resample.js';
import { pcmToFloat, readWav } from './wav.js';

/** What to do to one recording on its way to features. */
export interface FeatureRecipe {
  /** White noise at `snrDb` dB signal-to-noise ratio, drawn from `random` (uniform in [0, 1)); none when absent. */
  readonly noise?: { readonly snrDb: number; readonly random: () => number };
}

/**
 * A speech front end: a WAV file in, normalised log-mel frames out. The signal is resampled to the analyser's rate
 * (eSpeak NG's 22,050 Hz → 16 kHz), noise is added there (so that its band is the one the features see), then
 * log-mel (log-mel.ts) and per-utterance mean/variance normalisation (normalize.ts).
 */
export function speechFrontEnd(options: LogMelOptions = {}): {
  settings: LogMelSettings;
  features(wav: Uint8Array, source: string, recipe?: FeatureRecipe): LogMelFrames;
} {
  const analyser = logMelAnalyser(options);
  const { sampleRate } = analyser.settings;
  return {
    settings: analyser.settings,
    features(wav, source, recipe = {}) {
      const audio = readWav(wav, source);
      let signal = resample(pcmToFloat(audio.samples), audio.sampleRate, sampleRate);
      if (recipe.noise) signal = addWhiteNoise(signal, recipe.noise.snrDb, recipe.noise.random);
      const frames = analyser.analyse(signal);
      if (frames.frames === 0) {
        throw new DataError(
          `speechFrontEnd expects at least one ${analyser.settings.windowLength}-sample window of audio in ${source}, got ${signal.length} samples. The recording is empty: delete it so that it is made again.`,
        );
      }
      return normalizeUtterance(frames);
    },
  };
}
