import type { CaptionedImages } from '@nnkit/core';
import { scoreSequences, type SequenceScores } from '@nnkit/train';

/**
 * The baseline that looks at no image: the most common training caption, written for every test image. A captioner
 * whose BLEU-4 is not above it has learned the captions' words at best, not what the pictures show.
 */
export function constantCaptionBaseline(
  train: CaptionedImages,
  test: CaptionedImages,
): { caption: readonly number[]; scores: SequenceScores } {
  const counts = new Map<string, { caption: readonly number[]; count: number }>();
  for (const caption of train.captions) {
    const key = caption.join(' ');
    const entry = counts.get(key) ?? { caption, count: 0 };
    counts.set(key, { ...entry, count: entry.count + 1 });
  }
  const caption = [...counts.values()].sort((a, b) => b.count - a.count)[0]?.caption ?? [];
  return {
    caption,
    scores: scoreSequences(
      test.captions.map(() => caption),
      test.captions.map((c) => [c]),
    ),
  };
}
