import { mulberry32, seededRandom } from '@nnkit/core';
import { VOICE_SPLITS, type VoiceSplit } from './voices.js';

/** Words per minute drawn uniformly from this range: slow to brisk around eSpeak NG's default 175. */
export const WORDS_PER_MINUTE = { min: 120, max: 200 } as const;
/** eSpeak NG's pitch setting (0–99) drawn uniformly from this range, around its default 50. */
export const PITCH = { min: 30, max: 70 } as const;

/** One utterance to synthesize. */
export interface PlannedUtterance {
  readonly digits: string;
  readonly voice: string;
  readonly wordsPerMinute: number;
  readonly pitch: number;
}

export interface PlanOptions {
  readonly count: number;
  readonly seed: number;
  readonly minDigits: number;
  readonly maxDigits: number;
}

/**
 * What a split says, drawn from its own seeded stream (mulberry32 of the seed and the split's name): per utterance a
 * voice of the split, a length in [minDigits, maxDigits], the digits, a rate and a pitch, all uniform. A split thus
 * depends on its own count and the seed only, and the first n utterances of a larger request are the same n.
 */
export function planSplit(split: VoiceSplit, { count, seed, minDigits, maxDigits }: PlanOptions): PlannedUtterance[] {
  const random = mulberry32(seededRandom(seed).derive(`spoken-digits/${split}`));
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const voices = VOICE_SPLITS[split];
  return Array.from({ length: count }, () => {
    const voice = voices[Math.floor(random() * voices.length)]!;
    const length = between(minDigits, maxDigits);
    const digits = Array.from({ length }, () => String(between(0, 9))).join('');
    return { digits, voice, wordsPerMinute: between(WORDS_PER_MINUTE.min, WORDS_PER_MINUTE.max), pitch: between(PITCH.min, PITCH.max) };
  });
}
