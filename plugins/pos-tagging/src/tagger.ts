import type * as tf from '@tensorflow/tfjs';
import { ShapeError, type Batch, type TrainableModel } from '@nnkit/core';

/** A model that tags: a tag id per word, (batch, time) int32 (0 at padding), for a batch's `tokens` and `mask`. */
export interface SequenceTagger extends TrainableModel {
  tag(tokens: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D;
}

export function isSequenceTagger(model: unknown): model is SequenceTagger {
  const candidate = model as SequenceTagger | undefined;
  return typeof candidate?.tag === 'function' && typeof candidate.loss === 'function';
}

/** A batch's `tokens`, `mask` and (for a loss) `tags`: a batch without them is a caller's mistake worth a clear message. */
export function taggedBatch(batch: Batch, model: string): { tokens: tf.Tensor2D; mask: tf.Tensor2D; tags: tf.Tensor2D } {
  const { tokens, mask, tags } = batch;
  if (tokens === undefined || mask === undefined || tags === undefined) {
    throw new ShapeError(
      `${model} expects a batch with tokens, tags and mask, each (batch, time), got ${Object.keys(batch).join(', ') || 'no tensors'}. Batch the data with the task pos/tagged-sentences.`,
    );
  }
  if (tags.shape.join() !== tokens.shape.join() || mask.shape.join() !== tokens.shape.join())
    throw new ShapeError(
      `${model} expects tokens, tags and mask of one shape (batch, time), got [${tokens.shape}], [${tags.shape}] and [${mask.shape}].`,
    );
  return { tokens: tokens as tf.Tensor2D, mask: mask as tf.Tensor2D, tags: tags as tf.Tensor2D };
}
