// The speech front end (MIT): WAV in and out, resampling, noise, log-mel features, and the dataset
// datasets/spoken-digits, which gets its audio from @nnkit/spoken-digits through the registry.
export { readWav, writeWav, pcmToFloat, floatToPcm, type PcmAudio } from './wav.js';
export { complexFft, realFft, type ComplexFft, type RealFft } from './fft.js';
export { hzToMel, melToHz, melFilterbank, type MelFilterbank, type MelFilterbankOptions } from './mel.js';
export {
  logMel,
  logMelAnalyser,
  logMelSettings,
  frameCount,
  type LogMelOptions,
  type LogMelFrames,
  type LogMelSettings,
} from './log-mel.js';
export { normalizeUtterance } from './normalize.js';
export { resample } from './resample.js';
export { addWhiteNoise, signalPower } from './noise.js';
export { speechFrontEnd, type FeatureRecipe } from './features.js';
export { checkUtterances, UTTERANCE_SPLITS, type SpokenUtterance, type SpokenUtterances, type UtteranceSplit } from './utterances.js';
export {
  loadSpokenDigits,
  spokenDigits,
  UTTERANCES_DATASET,
  type SpokenDigitsOptions,
  type SpokenDigitsExample,
  type SpokenDigitsCorpus,
} from './spoken-digits.js';
