// What the listener's tests share: synthetic "speech" — each digit a burst of frames in which one band (the digit's
// own) is loud — tiny configs, and batches as the speech-transcripts task makes them.
import * as tf from '@tensorflow/tfjs';
import { SEQUENCE_ENDS, mulberry32, type Batch } from '@nnkit/core';
import { padTargets } from '@nnkit/train';
import type { ListenerConfig } from './listener-config.js';

/** Bands per frame: one per digit and two that are only noise. */
export const TONE_BANDS = 12;
/** <pad> <s> </s> <unk>, then the digits 0–9 as ids 4–13. */
export const DIGIT_IDS = 14;

export interface ToneUtterance {
  readonly frames: Float32Array;
  readonly frameCount: number;
  readonly digits: number[];
}

/**
 * `count` utterances of minDigits … maxDigits digits: each digit 5–7 frames with its band near 1, then 2–3 frames of
 * silence, every band with noise of ±0.1.
 */
export function toneUtterances(count: number, seed: number, { minDigits = 2, maxDigits = 4 } = {}): ToneUtterance[] {
  const random = mulberry32(seed);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  return Array.from({ length: count }, () => {
    const digits = Array.from({ length: between(minDigits, maxDigits) }, () => between(0, 9));
    const rows: number[][] = [];
    for (const digit of digits) {
      const loud = between(5, 7);
      for (let i = 0; i < loud + between(2, 3); i++)
        rows.push(Array.from({ length: TONE_BANDS }, (_, b) => (i < loud && b === digit ? 1 : 0)));
    }
    const frames = Float32Array.from(rows.flat(), (v) => v + 0.2 * (random() - 0.5));
    return { frames, frameCount: rows.length, digits };
  });
}

/**
 * The utterances as one batch: frames and frameMask padded to `minFrames` at least, and teacher-forcing targets. The
 * padded frames hold `padding` (0 as the task pads; another value shows that the mask, not zeros, keeps them out).
 */
export function toneBatch(utterances: readonly ToneUtterance[], minFrames = 0, padding = 0): Batch {
  const T = Math.max(minFrames, ...utterances.map((u) => u.frameCount));
  const frames = new Float32Array(utterances.length * T * TONE_BANDS).fill(padding);
  const mask = new Float32Array(utterances.length * T);
  utterances.forEach((u, b) => {
    frames.set(u.frames, b * T * TONE_BANDS);
    mask.fill(1, b * T, b * T + u.frameCount);
  });
  return {
    frames: tf.tensor3d(frames, [utterances.length, T, TONE_BANDS]),
    frameMask: tf.tensor2d(mask, [utterances.length, T]),
    ...padTargets(
      utterances.map((u) => u.digits.map((d) => d + 4)),
      SEQUENCE_ENDS,
    ),
  };
}

/** A tiny listener over the tones: 2 pyramidal layers of 8 units (one step per 4 frames), Bahdanau attention. */
export function tinyListenerConfig(overrides: Partial<ListenerConfig> = {}): Partial<ListenerConfig> {
  return {
    featureSize: TONE_BANDS,
    targetVocabularySize: DIGIT_IDS,
    projection: 8,
    units: 8,
    encoderLayers: 2,
    embedding: 6,
    ...overrides,
  };
}
