import * as tf from '@tensorflow/tfjs';
import type { CaptionedImages } from '@nnkit/core';
import { scoreSequences, type SequenceScores } from './sequence-metrics.js';

/** What scoring needs of an image captioner: images in, token ids (and attention, where it has any) out. */
export interface Captions {
  caption(images: tf.Tensor4D, options?: { beam?: number; maxLength?: number }): Promise<{ tokens: number[][]; attention?: number[][][] }>;
}

/**
 * Captions every image of a split (greedy, or beam search of width `beam`) in batches, each allowed twice the longest
 * reference caption plus 10 words, and scores the captions against the references (`scoreSequences`: exact match,
 * corpus BLEU-4, token error rate — the character error rate for digit strings). `limit` scores the first images only.
 */
export async function scoreCaptions(
  model: Captions,
  split: CaptionedImages,
  imageShape: readonly number[],
  { beam = 1, batchSize = 128, limit = split.count }: { beam?: number; batchSize?: number; limit?: number } = {},
): Promise<SequenceScores & { outputs: number[][]; attention: number[][][] }> {
  const count = Math.min(limit, split.count);
  const [height, width, channels] = imageShape as [number, number, number];
  const size = height * width * channels;
  const outputs: number[][] = [];
  const attention: number[][][] = [];
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    const longest = Math.max(...split.captions.slice(start, end).map((caption) => caption.length));
    const images = tf.tensor4d(split.pixels.subarray(start * size, end * size), [end - start, height, width, channels]);
    try {
      const result = await model.caption(images, { ...(beam > 1 && { beam }), maxLength: 2 * longest + 10 });
      outputs.push(...result.tokens);
      attention.push(...(result.attention ?? result.tokens.map(() => [])));
    } finally {
      images.dispose();
    }
  }
  return { ...scoreSequences(outputs, split.captions.slice(0, count).map((caption) => [caption])), outputs, attention };
}
