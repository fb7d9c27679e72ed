import * as tf from '@tensorflow/tfjs';
import type { CaptionedImages, Metric } from '@nnkit/core';
import { generatedPass, type GeneratedOutputs } from './generated-pass.js';
import { sequenceMetrics, sequenceScores } from './generation-metrics.js';
import type { GenerationOptions } from './score-translations.js';
import type { SequenceScores } from './sequence-metrics.js';

/** What scoring needs of an image captioner: images in, token ids (and attention, where it has any) out. */
export interface CaptioningModel {
  caption(images: tf.Tensor4D, options?: { beam?: number; maxLength?: number }): Promise<{ tokens: number[][]; attention?: number[][][] }>;
}

/** @deprecated the name of 2.0's first builds, taken by the captioner plugin's output type: use CaptioningModel. */
export type Captions = CaptioningModel;

/** Images to caption, with their captions (`evaluate(captioner, { images, imageShape })`); `limit` takes the first only. */
export interface CaptionSplit {
  readonly images: CaptionedImages;
  /** (height, width, channels) of every image. */
  readonly imageShape: readonly number[];
  readonly limit?: number;
}

/**
 * Captions every image of a split (greedy, or beam search of width `beam`) in batches, each allowed twice the longest
 * reference caption plus 10 words, and adds the captions with their references to `metrics`.
 */
export function evaluateCaptions(
  model: CaptioningModel,
  { images: split, imageShape, limit = split.count }: CaptionSplit,
  metrics: readonly Metric[],
  { beam = 1, batchSize = 128, outputs }: GenerationOptions = {},
): Promise<Record<string, number>> {
  const count = Math.min(limit, split.count);
  const [height, width, channels] = imageShape as [number, number, number];
  const size = height * width * channels;
  return generatedPass(
    model,
    Math.ceil(count / batchSize),
    async (index) => {
      const start = index * batchSize;
      const end = Math.min(count, start + batchSize);
      const captions = split.captions.slice(start, end);
      const longest = Math.max(...captions.map((caption) => caption.length));
      const images = tf.tensor4d(split.pixels.subarray(start * size, end * size), [end - start, height, width, channels]);
      try {
        const result = await model.caption(images, { ...(beam > 1 && { beam }), maxLength: 2 * longest + 10 });
        return { result, references: captions.map((caption) => [caption]) };
      } finally {
        images.dispose();
      }
    },
    metrics,
    outputs,
  );
}

/** @deprecated `evaluate(model, { images, imageShape, limit }, { beam, outputs })`: the same scores by their metric names. */
export async function scoreCaptions(
  model: CaptioningModel,
  split: CaptionedImages,
  imageShape: readonly number[],
  { beam = 1, batchSize = 128, limit = split.count }: { beam?: number; batchSize?: number; limit?: number } = {},
): Promise<SequenceScores & GeneratedOutputs> {
  const outputs: GeneratedOutputs = { outputs: [], attention: [] };
  const values = await evaluateCaptions(model, { images: split, imageShape, limit }, sequenceMetrics(), {
    beam,
    batchSize,
    outputs,
  });
  return { ...sequenceScores(values, Math.min(limit, split.count)), ...outputs };
}
