import { UsageError } from './usage-error.js';

/** `--beam n` as translate, caption and eval take it: an integer from 1 (greedy decoding, the default) to 64. */
export function beamOption(value: unknown): number {
  const beam = value === undefined ? 1 : Number(value);
  if (!(Number.isInteger(beam) && beam >= 1 && beam <= 64)) throw new UsageError(`--beam expects an integer from 1 to 64, got '${String(value)}'.`);
  return beam;
}
