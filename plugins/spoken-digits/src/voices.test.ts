import { describe, expect, it } from 'vitest';
import { planSplit, PITCH, WORDS_PER_MINUTE } from './plan.js';
import { HELD_OUT_VARIANTS, VOICE_SPLITS, VOICES } from './voices.js';

describe('the voices and their splits', () => {
  it('partition the 112 voices: train 80, validation 16, test 16, none in two', () => {
    expect(VOICES).toHaveLength(112);
    expect(new Set(VOICES).size).toBe(112);
    const { train, validation, test } = VOICE_SPLITS;
    expect([train.length, validation.length, test.length]).toEqual([80, 16, 16]);
    expect(new Set([...train, ...validation, ...test])).toEqual(new Set(VOICES));
  });

  it('hold out whole variants: no training voice has a test or validation variant', () => {
    const heldOut = [...HELD_OUT_VARIANTS.test, ...HELD_OUT_VARIANTS.validation];
    for (const voice of VOICE_SPLITS.train) expect(heldOut).not.toContain(voice.split('+')[1] ?? '');
    for (const voice of VOICE_SPLITS.test) expect(HELD_OUT_VARIANTS.test).toContain(voice.split('+')[1]);
  });

  it('plan each split from its own voices only, with digits, rates and pitches in range', () => {
    const options = { count: 3000, seed: 4, minDigits: 3, maxDigits: 7 };
    const train = planSplit('train', options);
    const test = planSplit('test', options);
    const trainVoices = new Set(train.map((u) => u.voice));
    expect(test.some((u) => trainVoices.has(u.voice))).toBe(false);
    expect(trainVoices).toEqual(new Set(VOICE_SPLITS.train)); // 3,000 draws reach all 80
    for (const u of [...train, ...test]) {
      expect(u.digits).toMatch(/^[0-9]{3,7}$/);
      expect(u.wordsPerMinute).toBeGreaterThanOrEqual(WORDS_PER_MINUTE.min);
      expect(u.wordsPerMinute).toBeLessThanOrEqual(WORDS_PER_MINUTE.max);
      expect(u.pitch).toBeGreaterThanOrEqual(PITCH.min);
      expect(u.pitch).toBeLessThanOrEqual(PITCH.max);
    }
    expect(new Set(train.map((u) => u.digits.length))).toEqual(new Set([3, 4, 5, 6, 7]));
  });

  it('draw the same plan for the same seed, a prefix for a smaller count, another plan for another seed', () => {
    const options = { count: 50, seed: 1, minDigits: 3, maxDigits: 7 };
    expect(planSplit('train', options)).toEqual(planSplit('train', options));
    expect(planSplit('train', { ...options, count: 10 })).toEqual(planSplit('train', options).slice(0, 10));
    expect(planSplit('train', { ...options, seed: 2 })).not.toEqual(planSplit('train', options));
  });
});
