import type * as tf from '@tensorflow/tfjs';
import { ShapeError, type Batch } from '@nnkit/core';
import { requireTensors } from '@nnkit/ops';

const OWNER = 'seq2seq/listener';
const SPEECH_TENSORS = ['frames', 'frameMask', 'targetInput', 'targetOutput', 'targetMask'] as const;

/** A batch of transcribed speech, as the speech-transcripts task makes it (speechBatches). */
export interface SpeechBatch {
  /** (batch, T, featureSize) */
  readonly frames: tf.Tensor3D;
  /** (batch, T): 1 at real frames, right-padded. */
  readonly frameMask: tf.Tensor2D;
  readonly targetInput: tf.Tensor2D;
  readonly targetOutput: tf.Tensor2D;
  readonly targetMask: tf.Tensor2D;
}

/** The batch's tensors, checked: frames of `featureSize`, a mask of their shape, one target row per utterance. */
export function readSpeechBatch(batch: Batch, featureSize: number): SpeechBatch {
  const tensors = requireTensors(batch, SPEECH_TENSORS, `The listener (${OWNER})`) as unknown as SpeechBatch;
  checkFrames(tensors.frames, tensors.frameMask, featureSize, 'loss');
  const { targetInput, targetOutput, targetMask, frames } = tensors;
  for (const t of [targetInput, targetOutput, targetMask]) {
    if (t.rank !== 2 || t.shape[0] !== frames.shape[0] || t.shape[1] !== targetInput.shape[1]) {
      throw new ShapeError(
        `${OWNER} expects targetInput, targetOutput and targetMask of one shape (${frames.shape[0]}, T), one row per utterance, ` +
          `got [${targetInput.shape}], [${targetOutput.shape}] and [${targetMask.shape}]. Make batches with the speech-transcripts task (speechBatches).`,
      );
    }
  }
  return tensors;
}

/** Frames (batch, T, featureSize) and a (batch, T) mask, or a ShapeError that says how to make them. */
export function checkFrames(frames: tf.Tensor, frameMask: tf.Tensor | undefined, featureSize: number, caller: string): void {
  if (frames.rank !== 3 || frames.shape[2] !== featureSize) {
    throw new ShapeError(
      `${OWNER} ${caller} expects frames of shape (batch, T, ${featureSize}), got [${frames.shape}]. Give one row of featureSize values per frame.`,
    );
  }
  if (!frameMask || frameMask.rank !== 2 || frameMask.shape[0] !== frames.shape[0] || frameMask.shape[1] !== frames.shape[1]) {
    throw new ShapeError(
      `${OWNER} ${caller} expects a frameMask of shape [${frames.shape.slice(0, 2)}], got ${frameMask ? `[${frameMask.shape}]` : 'none'}. ` +
        'Give 1 at real frames and 0 at padding (padFrames makes both).',
    );
  }
}
