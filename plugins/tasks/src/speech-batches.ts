import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, type BatchSource } from '@nnkit/core';
import { epochOrder, padTargets, type TargetEnds } from '@nnkit/train';

/** One utterance as a speech task reads it: feature frames and the transcripts that count as right. */
export interface TranscribedUtterance {
  /** (frameCount, featureSize) row-major. */
  readonly frames: Float32Array;
  readonly frameCount: number;
  /** Target ids without `<s>` and `</s>`; the first is trained on, any counts as right when scoring. */
  readonly targets: readonly (readonly number[])[];
}

export interface SpeechBatchOptions extends TargetEnds {
  /** Utterances per batch. */
  readonly batchSize: number;
  /** Values per frame (the corpus's featureSize). */
  readonly featureSize: number;
  /** Shuffle the batches' order every epoch, seeded (default true). */
  readonly shuffle?: boolean;
}

/**
 * The frames of some utterances, right-padded with zeros to the longest, and their mask:
 *
 *   frames     (batch, T, featureSize) float32
 *   frameMask  (batch, T) float32, 1 at real frames, 0 at padding
 */
export function padFrames(utterances: readonly Pick<TranscribedUtterance, 'frames' | 'frameCount'>[], featureSize: number) {
  const T = Math.max(1, ...utterances.map((u) => u.frameCount));
  const frames = new Float32Array(utterances.length * T * featureSize);
  const frameMask = new Float32Array(utterances.length * T);
  utterances.forEach((u, b) => {
    if (u.frames.length !== u.frameCount * featureSize) {
      throw new ShapeError(
        `padFrames expects frameCount × featureSize = ${u.frameCount} × ${featureSize} values in utterance ${b}, got ${u.frames.length}. ` +
          'Give frames row-major, one row of featureSize values per frame.',
      );
    }
    frames.set(u.frames, b * T * featureSize);
    frameMask.fill(1, b * T, b * T + u.frameCount);
  });
  return {
    frames: tf.tensor3d(frames, [utterances.length, T, featureSize]),
    frameMask: tf.tensor2d(frameMask, [utterances.length, T]),
  };
}

/**
 * Transcribed utterances as padded batches for teacher forcing: `frames` and `frameMask` (padFrames), and
 * `targetInput`, `targetOutput`, `targetMask` as sequence pairs have them (padTargets). Utterances are sorted by
 * length once and cut into runs, so that little of a batch is padding (a 2 s and a 6 s utterance side by side would
 * spend two thirds of the first row's encoder on zeros); only the runs' order is shuffled each epoch.
 */
export function speechBatches(utterances: readonly TranscribedUtterance[], options: SpeechBatchOptions): BatchSource {
  const { batchSize, featureSize, shuffle = true, ...ends } = options;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new ConfigError(`speechBatches expects batchSize to be an integer ≥ 1, got ${batchSize}.`, 'batchSize');
  }
  if (utterances.length === 0) throw new ConfigError('speechBatches expects at least one utterance, got none.');
  const empty = utterances.findIndex((u) => u.frameCount === 0 || u.targets.length === 0);
  if (empty >= 0) {
    throw new ConfigError(
      `speechBatches expects every utterance to have frames and a transcript, got ${utterances[empty]!.frameCount} frames and ` +
        `${utterances[empty]!.targets.length} transcripts at ${empty}. Leave it out of the split.`,
    );
  }
  const sorted = Int32Array.from(utterances.keys()).sort((a, b) => utterances[a]!.frameCount - utterances[b]!.frameCount || a - b);
  const batchesPerEpoch = Math.ceil(utterances.length / batchSize);
  return {
    batchesPerEpoch,
    unit: 'tok',
    unitsPerEpoch: utterances.reduce((n, u) => n + u.targets[0]!.length + 1, 0),
    batch(epoch, index, seed) {
      const slot = epochOrder(batchesPerEpoch, seed, epoch, shuffle)[index]!;
      const rows = Array.from(
        sorted.subarray(slot * batchSize, Math.min(utterances.length, (slot + 1) * batchSize)),
        (i) => utterances[i]!,
      );
      return {
        ...padFrames(rows, featureSize),
        ...padTargets(
          rows.map((row) => row.targets[0]!),
          ends,
        ),
      };
    },
  };
}
