import { integerOption, type IntegerRange } from './options.js';

/** The beam widths translate, caption and eval take: 1 (greedy decoding, the default) to 64. */
export const BEAM_RANGE: IntegerRange = { min: 1, max: 64 };

/** `--beam n` as translate, caption and eval take it: an integer from 1 to 64, 1 when not passed. */
export function beamOption(value: unknown): number {
  return integerOption(value, 'beam', BEAM_RANGE) ?? 1;
}
