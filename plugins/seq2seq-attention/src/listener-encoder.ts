import * as tf from '@tensorflow/tfjs';
import type { CellOptions, RecurrentCell, WeightMap } from '@nnkit/core';
import { deriveSeed, dense, dropout, glorotUniform, tidy, zerosVariable } from '@nnkit/ops';
import { runLayer, type EncodedSource, type EncodeOptions } from './encoder.js';

export interface ListenerEncoderOptions {
  /** Values per input frame (40 log-mel bands). */
  readonly featureSize: number;
  /** Size of the frames' linear projection: what the first layer reads in place of an embedding. */
  readonly projection: number;
  /** Hidden units of each direction of each layer. */
  readonly units: number;
  /** Pyramidal layers; each halves time, so the top runs at 1 / 2^layers of the frame rate. */
  readonly layers: number;
  readonly dropout: number;
  readonly createCell: (options: CellOptions) => RecurrentCell;
  readonly seed: (label: string) => number;
}

export interface ListenerEncoder {
  /** `listener/projection/kernel`, `listener/projection/bias`, `encoder/forward/layer0/…`, `encoder/backward/layer0/…`, … */
  readonly weights: WeightMap;
  /** E = 2·units: both directions joined. */
  readonly outputSize: number;
  /** Per layer, its final state components (forward's, then backward's), as the bridge reads them. */
  readonly finalStateSizes: readonly (readonly number[])[];
  /** 2^layers: frames per encoder step at the top. */
  readonly reduction: number;
  /**
   * frames (batch, T, featureSize) and frameMask (batch, T), right-padded → outputs (batch, ⌈T / reduction⌉, E), exactly
   * 0 past each row's last real step, the top's mask, and every layer's final states. The result's tensors are the caller's.
   */
  encode(frames: tf.Tensor3D, frameMask: tf.Tensor2D, options: EncodeOptions): EncodedSource;
}

/**
 * The listener of Listen, Attend and Spell (Chan et al. 2016): a pyramidal bidirectional recurrent encoder. The
 * frames are projected linearly (in place of the translator's embedding); then each layer joins each two neighbouring
 * inputs into one, (T, batch, I) → (T/2, batch, 2I), and runs a forward and a backward cell over the result, as
 * Chan et al.'s pBLSTM does. Time halves at every layer, so attention reads a few dozen steps rather than hundreds of
 * 10 ms frames, and each step sees 2^layers frames. A pair is real where its first frame is (masks are right-padded),
 * so a row's length becomes ⌈length / 2⌉; an odd time is padded with one zero step first.
 */
export function createListenerEncoder(options: ListenerEncoderOptions): ListenerEncoder {
  const { featureSize, projection, units, layers, dropout: rate, createCell, seed } = options;
  const directions = ['forward', 'backward'] as const;
  const outputSize = 2 * units;
  const cells = Array.from({ length: layers }, (_, l) =>
    directions.map((direction) =>
      createCell({
        inputSize: 2 * (l === 0 ? projection : outputSize),
        units,
        seed: seed(`encoder/${direction}/layer${l}`),
        name: `encoder/${direction}/layer${l}`,
      }),
    ),
  );
  const kernel = glorotUniform(featureSize, projection, seed('listener/projection')); // (featureSize, projection)
  const bias = zerosVariable(projection);
  const weights: WeightMap = {
    'listener/projection/kernel': kernel,
    'listener/projection/bias': bias,
    ...Object.assign({}, ...cells.flat().map((cell) => cell.weights)),
  };

  return {
    weights,
    outputSize,
    finalStateSizes: cells.map((layer) => layer.flatMap((cell) => cell.stateSizes)),
    reduction: 2 ** layers,
    encode(frames, frameMask, { training, seed: runSeed }) {
      return tidy(() => {
        // Time-major inside, (T, batch, projection), as the cells' whole-sequence path reads it.
        let mask = tf.cast(frameMask, 'float32') as tf.Tensor2D; // (batch, T)
        // Zero at padding, as every layer's outputs are there: a real frame joined with padding reads [x, 0] whatever
        // the batch's length, so padding never reaches a real step.
        const projected = tf.mul(dense(tf.transpose(frames, [1, 0, 2]), kernel, bias), tf.expandDims(tf.transpose(mask), 2)) as tf.Tensor3D;
        let inputs = dropout(projected, rate, training, deriveSeed(runSeed, 'encoder', 'projection'));
        const finalStates: tf.Tensor2D[][] = [];
        cells.forEach((layer, l) => {
          ({ inputs, mask } = joinNeighbours(inputs, mask));
          const runs = layer.map((cell, d) =>
            runLayer(cell, inputs, { mask, reverse: d === 1, training, seed: deriveSeed(runSeed, 'encoder', directions[d]!, l) }),
          );
          finalStates.push(runs.flatMap((run) => run.state));
          const joined = tf.concat(
            runs.map((run) => run.outputs),
            2,
          ) as tf.Tensor3D;
          // Dropout between layers only: the top layer's outputs are what attention reads.
          inputs = l < layers - 1 ? dropout(joined, rate, training, deriveSeed(runSeed, 'encoder', 'dropout', l)) : joined;
        });
        return { outputs: tf.transpose(inputs, [1, 0, 2]) as tf.Tensor3D, finalStates, mask };
      });
    },
  };
}

/**
 * (T, batch, I) and its mask (batch, T) → (⌈T/2⌉, batch, 2I): steps 2t and 2t + 1 side by side, and the mask of
 * step 2t. Padding is zero in the inputs, so a real step joined with padding is [x, 0].
 */
export function joinNeighbours(inputs: tf.Tensor3D, mask: tf.Tensor2D): { inputs: tf.Tensor3D; mask: tf.Tensor2D } {
  const [time, batch, size] = inputs.shape;
  const even =
    time % 2 === 0
      ? inputs
      : (tf.pad(inputs, [
          [0, 1],
          [0, 0],
          [0, 0],
        ]) as tf.Tensor3D);
  const evenMask =
    time % 2 === 0
      ? mask
      : (tf.pad(mask, [
          [0, 0],
          [0, 1],
        ]) as tf.Tensor2D);
  const half = (time + (time % 2)) / 2;
  // (T, batch, I) → (T/2, 2, batch, I) → (T/2, batch, 2, I) → (T/2, batch, 2I): [x_2t, x_2t+1] per row.
  const joined = tf.reshape(tf.transpose(tf.reshape(even, [half, 2, batch, size]), [0, 2, 1, 3]), [half, batch, 2 * size]) as tf.Tensor3D;
  const halvedMask = tf.squeeze(tf.slice(tf.reshape(evenMask, [batch, half, 2]), [0, 0, 0], [batch, half, 1]), [2]) as tf.Tensor2D;
  return { inputs: joined, mask: halvedMask };
}
