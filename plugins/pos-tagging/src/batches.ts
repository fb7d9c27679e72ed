import * as tf from '@tensorflow/tfjs';
import { mulberry32, seededRandom, type Batch, type BatchSource } from '@nnkit/core';
import type { EncodedSentence } from './vocabulary.js';

/**
 * `rows` right-padded to the longest: `tokens` and `tags` (batch, time) int32, 0 at padding, and `mask` (batch, time)
 * float32, 1 at real words. The recurrent tagger's whole-sequence path needs the padding on the right.
 */
export function padSentences(rows: readonly EncodedSentence[]): Batch {
  const time = Math.max(1, ...rows.map((row) => row.tokens.length));
  const padded = (values: (row: EncodedSentence) => readonly number[]) =>
    rows.flatMap((row) => {
      const real = values(row);
      return [...real, ...new Array<number>(time - real.length).fill(0)];
    });
  return {
    tokens: tf.tensor2d(
      padded((row) => row.tokens),
      [rows.length, time],
      'int32',
    ),
    tags: tf.tensor2d(
      padded((row) => row.tags),
      [rows.length, time],
      'int32',
    ),
    mask: tf.tensor2d(
      padded((row) => row.tokens.map(() => 1)),
      [rows.length, time],
      'float32',
    ),
  };
}

/** The order of `count` sentences in pass `epoch`: a Fisher–Yates shuffle seeded by (seed, epoch), or as they are. */
function order(count: number, shuffle: boolean, seed: number, epoch: number): number[] {
  const indices = Array.from({ length: count }, (_, i) => i);
  if (!shuffle) return indices;
  const random = mulberry32(seededRandom(seed).derive(`pos/epoch ${epoch}`));
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return indices;
}

/** Padded batches of `sentences` for the training loop (shuffled each epoch) or for scoring (in order). */
export function sentenceBatches(
  sentences: readonly EncodedSentence[],
  { batchSize, shuffle }: { batchSize: number; shuffle: boolean },
): BatchSource {
  let cached: { key: string; indices: number[] } | undefined;
  return {
    batchesPerEpoch: Math.ceil(sentences.length / batchSize),
    unit: 'tok',
    unitsPerEpoch: sentences.reduce((sum, s) => sum + s.tokens.length, 0),
    batch(epoch, index, seed) {
      const key = `${epoch}/${seed}`;
      if (cached?.key !== key) cached = { key, indices: order(sentences.length, shuffle, seed, epoch) };
      return padSentences(cached.indices.slice(index * batchSize, (index + 1) * batchSize).map((i) => sentences[i]!));
    },
  };
}
