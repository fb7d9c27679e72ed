import * as tf from '@tensorflow/tfjs';
import { type WeightMap } from '@nnkit/core';
import { glorotUniform, zerosVariable } from '@nnkit/ops';

/**
 * The decoder's initial state from the encoder's final states, through a learned tanh layer per decoder layer
 * (Bahdanau et al. 2015 start the decoder from tanh(W_s ←h_1) the same way; Sutskever et al. 2014 copy the states,
 * which needs equal shapes). Decoder layer l reads encoder layer max(0, L − D + l)'s final states, both directions
 * joined, so the top layers meet and equal depths pair layer with layer; its state components (h, or h and c) come
 * out of one matMul, split by the decoder cell's stateSizes. Any encoder cell can start any decoder cell.
 *
 * The bridge is there with attention too: without it the bottleneck model would have no path from the source, and
 * with it every attention kind starts from what the encoder read rather than from zeros.
 */
export interface Bridge {
  /** `bridge/layer0/kernel`, `bridge/layer0/bias`, … */
  readonly weights: WeightMap;
  /** Per encoder layer, its final state components → every decoder layer's components, flattened. */
  initialState(finalStates: readonly (readonly tf.Tensor2D[])[]): tf.Tensor2D[];
}

export function createBridge(
  encoderSizes: readonly (readonly number[])[],
  decoderSizes: readonly (readonly number[])[],
  seed: (label: string) => number,
): Bridge {
  const sum = (sizes: readonly number[]) => sizes.reduce((a, b) => a + b, 0);
  const depth = { encoder: encoderSizes.length, decoder: decoderSizes.length };
  const layers = decoderSizes.map((sizes, l) => {
    const from = Math.max(0, depth.encoder - depth.decoder + l);
    return {
      from,
      sizes: [...sizes],
      kernel: glorotUniform(sum(encoderSizes[from]!), sum(sizes), seed(`bridge/layer${l}`)), // (encoder state, decoder state)
      bias: zerosVariable(sum(sizes)),
    };
  });
  return {
    weights: Object.fromEntries(
      layers.flatMap(({ kernel, bias }, l) => [
        [`bridge/layer${l}/kernel`, kernel],
        [`bridge/layer${l}/bias`, bias],
      ]),
    ),
    initialState: (finalStates) =>
      layers.flatMap(({ from, sizes, kernel, bias }) => {
        const joined = tf.concat([...finalStates[from]!], 1) as tf.Tensor2D;
        const state = tf.tanh(tf.add(tf.matMul(joined, kernel), bias)) as tf.Tensor2D;
        return sizes.length === 1 ? [state] : (tf.split(state, sizes, 1) as tf.Tensor2D[]);
      }),
  };
}
