import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@nnkit/core';
import type { IncrementalDecoder } from '@nnkit/decoding';
import { decodeFrom, type Translation, type TranslateOptions } from './translate.js';

/** What decoding speech starts from: frames, right-padded, and their mask. */
export interface SpeechContext {
  /** (batch, T, featureSize) */
  readonly frames: tf.Tensor3D;
  /** (batch, T): 1 at real frames, 0 at padding. */
  readonly frameMask: tf.Tensor2D;
}

export interface SpeechShape {
  readonly featureSize: number;
  /** Frames per encoder step (2^layers): attention has one weight per step. */
  readonly reduction: number;
}

/**
 * Decodes utterances (each frameCount × featureSize values, row-major), from `<s>` until `</s>`, greedy or with
 * beam search: the frames are padded into one batch and masked, so each is decoded as if alone. Per utterance, the
 * ids produced (without `<s>` and `</s>`), their log-probability and, per produced id, its attention over that
 * utterance's real encoder steps (⌈frameCount / reduction⌉; empty rows without attention). At most `maxLength` ids
 * each (default: one per 4 encoder steps + 10).
 */
export async function transcribe(
  model: IncrementalDecoder<SpeechContext>,
  utterances: readonly Float32Array[],
  { featureSize, reduction }: SpeechShape,
  options: TranslateOptions = {},
): Promise<Translation> {
  if (utterances.length === 0) return { tokens: [], attention: [], logProbability: [] };
  const counts = utterances.map((values, i) => {
    if (values.length === 0 || values.length % featureSize !== 0) {
      throw new ShapeError(
        `transcribe expects each utterance to hold a whole number (≥ 1) of ${featureSize}-value frames, got ${values.length} values at index ${i}. ` +
          `Compute the features with the front end the model was trained with (its featureSize is ${featureSize}).`,
      );
    }
    return values.length / featureSize;
  });
  const T = Math.max(...counts);
  const frames = new Float32Array(utterances.length * T * featureSize);
  const mask = new Float32Array(utterances.length * T);
  utterances.forEach((values, b) => {
    frames.set(values, b * T * featureSize);
    mask.fill(1, b * T, b * T + counts[b]!);
  });
  const steps = counts.map((count) => Math.ceil(count / reduction));
  const { beam, maxLength = Math.ceil(Math.max(...steps) / 4) + 10, lengthPenalty } = options;
  const context = {
    frames: tf.tensor3d(frames, [utterances.length, T, featureSize]),
    frameMask: tf.tensor2d(mask, [utterances.length, T]),
  };
  return decodeFrom(model, context, steps, { beam, maxLength, lengthPenalty });
}
