import * as tf from '@tensorflow/tfjs';
import { mulberry32, type ImageEncoder } from '@nnkit/core';
import { mapShape, unitActivations, unitMask, encodeMap, type UnitAt } from './maps.js';

export interface MaximizeOptions {
  /** Gradient-ascent steps (default 200). */
  readonly steps?: number;
  /** Each step moves the image by learningRate · g / max|g| (a normalized step: no pixel moves more than this). Default 0.2. */
  readonly learningRate?: number;
  /** Pixels of random shift (both axes) before each step, so the image cannot rely on one exact position. Default 1. */
  readonly jitter?: number;
  /** L2 decay per step, x ← (1 − decay)·x: pixels the unit does not need fade out. Default 0.01. */
  readonly decay?: number;
  /** A 3×3 Gaussian blur every this many steps (0: never), which keeps high-frequency noise out. Default 4. */
  readonly blurEvery?: number;
  /** Pixel values are kept in this range (MNIST's: 0…1). */
  readonly range?: readonly [number, number];
  /**
   * Random starts per unit, in [0, s] for s from startScale up to 1 (geometric steps), pixel noise, smooth noise and
   * blobs in turn; the ascent starts from the smallest the unit responds to. Defaults 24 and 0.01.
   */
  readonly starts?: number;
  readonly startScale?: number;
  readonly seed?: number;
}

/** The image one unit likes best (the best seen during the ascent), and its activation at the random start and on it. */
export interface Maximized {
  readonly channel: number;
  /** (H, W, C) row-major. */
  readonly image: Float32Array;
  readonly before: number;
  readonly after: number;
}

/** x shifted by (dy, dx) with wrap-around: tfjs has no tf.roll. */
function roll(x: tf.Tensor4D, dy: number, dx: number): tf.Tensor4D {
  const shift = (t: tf.Tensor4D, by: number, axis: 1 | 2): tf.Tensor4D => {
    const n = t.shape[axis];
    const k = ((by % n) + n) % n;
    if (k === 0) return t;
    // Fresh begin/size arrays for each slice: tfjs keeps them by reference for the gradient.
    const part = (from: number, length: number) =>
      tf.slice(t, axis === 1 ? [0, from, 0, 0] : [0, 0, from, 0], axis === 1 ? [-1, length, -1, -1] : [-1, -1, length, -1]);
    return tf.concat([part(n - k, k), part(0, n - k)], axis);
  };
  return shift(shift(x, dy, 1), dx, 2);
}

/** A 3×3 Gaussian ([1, 2, 1]/4 in each direction), channel by channel. */
function blur(x: tf.Tensor4D): tf.Tensor4D {
  const channels = x.shape[3];
  const taps = [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16);
  const kernel = tf.tile(tf.reshape(tf.tensor1d(taps), [3, 3, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D;
  return tf.depthwiseConv2d(x, kernel, 1, 'same');
}

/**
 * Activation maximization (Erhan et al. 2009; with the jitter, L2 decay and blur of Yosinski et al. 2015): for each
 * channel, gradient ascent on an input image from a small random start to excite the unit at the centre of the
 * map. All channels ascend together, one image each.
 */
export async function maximizeActivation(
  encoder: ImageEncoder,
  channels: readonly number[],
  options: MaximizeOptions = {},
): Promise<Maximized[]> {
  const {
    steps = 200,
    learningRate = 0.2,
    jitter = 1,
    decay = 0.01,
    blurEvery = 4,
    range = [0, 1],
    starts = 24,
    startScale = 0.01,
    seed = 1,
  } = options;
  const [h, w] = mapShape(encoder);
  const [H, W, C] = encoder.inputShape as [number, number, number];
  const units: UnitAt[] = channels.map((channel) => ({ channel, row: Math.floor(h / 2), col: Math.floor(w / 2) }));
  // The start: random images at `starts` scales, from [0, startScale] up to [0, 1], of three kinds in turn: pixel noise,
  // smooth noise (random at a quarter of the resolution, resized up: a deep unit ignores pixel noise) and blobs (smooth
  // noise above 0.6, stroke-like). Each unit starts from the smallest one it responds to: a silent ReLU unit passes no
  // gradient back, so ascent could not begin.
  const scales = Array.from({ length: starts }, (_, i) => startScale ** (1 - i / Math.max(1, starts - 1)));
  const candidates = tf.tidy(() => {
    const n = channels.length * starts;
    const fine = tf.randomUniform([n, H, W, C], 0, 1, 'float32', seed);
    const coarse = tf.image.resizeBilinear(
      tf.randomUniform([n, Math.max(1, Math.round(H / 4)), Math.max(1, Math.round(W / 4)), C], 0, 1, 'float32', seed + 1) as tf.Tensor4D,
      [H, W],
    );
    const blobs = tf.cast(tf.greater(coarse, 0.6), 'float32');
    const kind = (k: number) => tf.reshape(tf.tensor1d(scales.map((scale, i) => (i % 3 === k ? scale : 0))), [1, starts, 1, 1, 1]);
    const per = (t: tf.Tensor) => tf.reshape(t, [channels.length, starts, H, W, C]);
    return tf.reshape(tf.addN([tf.mul(per(fine), kind(0)), tf.mul(per(coarse), kind(1)), tf.mul(per(blobs), kind(2))]), [n, H, W, C]);
  }) as tf.Tensor4D;
  const scores = await unitActivations(
    encoder,
    candidates,
    units.flatMap((u) => Array.from({ length: starts }, () => u)),
  );
  const chosen = units.map((_, u) => {
    const own = scores.slice(u * starts, (u + 1) * starts);
    const first = own.findIndex((v) => v > 0);
    return u * starts + (first >= 0 ? first : 0);
  });
  let x = tf.tidy(() => tf.gather(candidates, chosen)) as tf.Tensor4D;
  candidates.dispose();
  const before = await unitActivations(encoder, x, units);
  // The best image each unit has seen so far (a step can overshoot), kept as the answer.
  let best = x.clone();
  let bestValues = before.slice();
  const random = mulberry32(seed);
  const mask = unitMask(mapShape(encoder), units);
  for (let step = 1; step <= steps; step++) {
    const [dy, dx] = [Math.round((2 * random() - 1) * jitter), Math.round((2 * random() - 1) * jitter)];
    const next = tf.tidy(() => {
      const g = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(encodeMap(encoder, roll(input as tf.Tensor4D, dy, dx)), mask)))(
        x,
      ) as tf.Tensor4D;
      const scale = tf.add(tf.max(tf.abs(g), [1, 2, 3], true), 1e-12); // (units, 1, 1, 1): no pixel moves more than learningRate
      let moved = tf.mul(tf.add(x, tf.mul(learningRate, tf.div(g, scale))), 1 - decay) as tf.Tensor4D;
      if (blurEvery > 0 && step % blurEvery === 0) moved = blur(moved);
      return tf.clipByValue(moved, range[0], range[1]) as tf.Tensor4D;
    });
    x.dispose();
    x = next;
    const values = await unitActivations(encoder, x, units);
    const better = values.map((v, u) => v > bestValues[u]!);
    if (better.some(Boolean)) {
      const kept = tf.tidy(() => tf.where(tf.tensor1d(better, 'bool').reshape([-1, 1, 1, 1]).tile([1, H, W, C]), x, best)) as tf.Tensor4D;
      best.dispose();
      best = kept;
      bestValues = values.map((v, u) => Math.max(v, bestValues[u]!));
    }
  }
  const after = await unitActivations(encoder, best, units);
  const pixels = (await best.data()) as Float32Array;
  tf.dispose([x, best, mask]);
  const size = H * W * C;
  return channels.map((channel, u) => ({
    channel,
    image: pixels.slice(u * size, (u + 1) * size),
    before: before[u]!,
    after: after[u]!,
  }));
}
