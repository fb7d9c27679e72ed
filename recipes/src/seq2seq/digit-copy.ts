import { mulberry32, type SequenceExample } from '@nnkit/core';
import { symbolVocabulary } from '@nnkit/datasets';

/** The ten digits as a vocabulary (after `<pad>`, `<s>`, `</s>`, `<unk>`). */
export const DIGITS = symbolVocabulary([...'0123456789']);

/**
 * Copying a digit string: the task on which an encoder–decoder must carry the whole source through one state
 * when it has no attention (Sutskever et al. 2014's bottleneck), and need only look back with attention.
 * `count` strings of each length from `shortest` to `longest`, seeded.
 */
export function digitCopies(count: number, shortest: number, longest: number, seed: number): SequenceExample[] {
  const random = mulberry32(seed);
  const examples: SequenceExample[] = [];
  for (let length = shortest; length <= longest; length++) {
    for (let i = 0; i < count; i++) {
      const digits = Array.from({ length }, () => String(Math.floor(random() * 10)));
      const ids = DIGITS.encode(digits);
      examples.push({ source: ids, targets: [ids] });
    }
  }
  return examples;
}
