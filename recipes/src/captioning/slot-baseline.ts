import * as tf from '@tensorflow/tfjs';
import type { CaptionedImages } from '@nnkit/core';
import { toMnistDigit } from '@nnkit/datasets';

/** What the baseline needs of a digit classifier: (n, 28, 28, 1) digits → (n, 10) class probabilities. */
export interface DigitClassifier {
  predict(images: tf.Tensor): tf.Tensor;
}

/**
 * The baseline a line reader must beat: cut the line's inked extent into as many equal slots as it has digits (the
 * count is given, which only helps the baseline), make each slot an MNIST digit (its ink boxed to 20 px and centred
 * by mass, as `nnkit predict` does) and classify it. Returns the digit ids per line, as the captions spell them.
 */
export function readBySlots(
  classifier: DigitClassifier,
  lines: CaptionedImages,
  height: number,
  width: number,
  digitIds: readonly number[],
): number[][] {
  const read: number[][] = [];
  const size = height * width;
  for (let n = 0; n < lines.count; n++) {
    const line = lines.pixels.subarray(n * size, (n + 1) * size);
    const count = lines.captions[n]!.length;
    const inked = Array.from({ length: width }, (_, x) =>
      Array.from({ length: height }, (_, y) => line[y * width + x]!).some((v) => v > 0.25),
    );
    const left = inked.indexOf(true);
    const right = inked.lastIndexOf(true) + 1;
    const digits = new Float32Array(count * 784);
    for (let s = 0; s < count; s++) {
      const from = Math.round(left + ((right - left) * s) / count);
      const to = Math.max(from + 1, Math.round(left + ((right - left) * (s + 1)) / count));
      const slot = new Float32Array(height * (to - from));
      for (let y = 0; y < height; y++) slot.set(line.subarray(y * width + from, y * width + to), y * (to - from));
      digits.set(toMnistDigit(slot, to - from, height), s * 784);
    }
    const classes = tf.tidy(() => Array.from(tf.argMax(classifier.predict(tf.tensor4d(digits, [count, 28, 28, 1])), 1).dataSync()));
    read.push(classes.map((digit) => digitIds[digit]!));
  }
  return read;
}
