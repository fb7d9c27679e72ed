/**
 * eSpeak NG's English accents in the npm espeak-ng 1.0.2 build (`--voices=en`, less the MBROLA voices, which that
 * build leaves out): each is its own set of phoneme rules and intonation. Over the ten digit words they all differ,
 * except that New York's (en-us-nyc) says seven of them as General American (en-us) does: only "two", "four" and
 * "eight" differ.
 */
export const ACCENTS = [
  'en-us',
  'en-gb',
  'en-gb-scotland',
  'en-gb-x-rp',
  'en-gb-x-gbclan',
  'en-gb-x-gbcwmd',
  'en-029',
  'en-us-nyc',
] as const;

/**
 * Voice variants (`--voices=variant`, files espeak-ng-data/voices/!v/m1 …): each changes pitch, formants, breath and
 * tone. '' is the accent's own voice. The build has no Klatt synthesizer, so the klatt variants are not here; eSpeak
 * NG falls back to the plain accent for a variant it does not know, silently, which is why the list is fixed and a
 * test hears each one differ.
 */
export const VARIANTS = ['', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'f1', 'f2', 'f3', 'f4', 'f5'] as const;

export type Accent = (typeof ACCENTS)[number];
export type Variant = (typeof VARIANTS)[number];
export type VoiceSplit = 'train' | 'validation' | 'test';

/** The name eSpeak NG's `-v` takes: 'en-us', 'en-gb-scotland+f3'. */
export function voiceName(accent: Accent, variant: Variant): string {
  return variant === '' ? accent : `${accent}+${variant}`;
}

/** Every voice: each accent with each variant, 8 × 14 = 112. */
export const VOICES: readonly string[] = ACCENTS.flatMap((accent) => VARIANTS.map((variant) => voiceName(accent, variant)));

/**
 * Held-out speakers are held-out variants: a variant is a vocal tract and a manner, heard in every accent, so a test
 * voice's timbre is never heard in training in any accent, while its accents are (as a new speaker of a known dialect
 * would be). One male and one female variant for each held-out split.
 */
export const HELD_OUT_VARIANTS: Readonly<Record<Exclude<VoiceSplit, 'train'>, readonly Variant[]>> = {
  validation: ['m6', 'f5'],
  test: ['m3', 'f3'],
};

function splitOfVariant(variant: Variant): VoiceSplit {
  if (HELD_OUT_VARIANTS.test.includes(variant)) return 'test';
  if (HELD_OUT_VARIANTS.validation.includes(variant)) return 'validation';
  return 'train';
}

/** The voices of each split: train 80, validation 16, test 16, none in two. */
export const VOICE_SPLITS: Readonly<Record<VoiceSplit, readonly string[]>> = {
  train: ACCENTS.flatMap((accent) => VARIANTS.filter((v) => splitOfVariant(v) === 'train').map((v) => voiceName(accent, v))),
  validation: ACCENTS.flatMap((accent) => HELD_OUT_VARIANTS.validation.map((v) => voiceName(accent, v))),
  test: ACCENTS.flatMap((accent) => HELD_OUT_VARIANTS.test.map((v) => voiceName(accent, v))),
};
