import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { utterances } from './utterances.js';

// The name this plugin registers, typed for `kit.loadDataset('spoken-digits/utterances')` (core's registry-types.ts).
declare module '@nnkit/core' {
  interface NnkitDatasets {
    'spoken-digits/utterances': import('./utterances.js').SpokenUtterances;
  }
}

/**
 * Spoken digit strings synthesized by eSpeak NG, as a plugin: the dataset `spoken-digits/utterances` (WAV files, cached).
 * GPL-3.0-or-later, because eSpeak NG is; @nnkit/datasets' `datasets/spoken-digits` reaches it by that name, never by
 * import, and turns it into log-mel features.
 */
export default function spokenDigitsPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/spoken-digits', version: '1.1.0', namespace: 'spoken-digits', nnkit: '^2.0.0' },
    datasets: [utterances],
  });
}

export {
  loadUtterances,
  utterances,
  UTTERANCES_OPTIONS,
  type UtterancesOptions,
  type Utterance,
  type SpokenUtterances,
} from './utterances.js';
export { espeakSynthesizer, ESPEAK_NG_VERSION, type Synthesizer, type SpeechRequest } from './espeak.js';
export {
  ACCENTS,
  VARIANTS,
  VOICES,
  VOICE_SPLITS,
  HELD_OUT_VARIANTS,
  voiceName,
  type Accent,
  type Variant,
  type VoiceSplit,
} from './voices.js';
export { planSplit, WORDS_PER_MINUTE, PITCH, type PlannedUtterance } from './plan.js';
export { digitWords } from './digit-words.js';
export { defaultCacheDir, cachePath } from './cache.js';
