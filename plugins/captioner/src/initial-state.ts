import * as tf from '@tensorflow/tfjs';
import type { WeightMap } from '@nnkit/core';
import { dense, glorotUniform, zerosVariable } from '@nnkit/ops';

export interface InitialState {
  /** `init/0/kernel`, `init/0/bias`, … one pair per state component of the decoder cell. */
  readonly weights: WeightMap;
  /** Annotations (batch, L, D) → the decoder cell's state before the first word, one (batch, size) per component. */
  from(annotations: tf.Tensor3D): tf.Tensor2D[];
}

/**
 * The decoder's initial state from the image (Xu et al. 2015, §3.1.2): every component, h_0 and c_0 for an LSTM, is
 * tanh(W_init a + b). With attention, a is the mean annotation ā; without, the whole grid [a_1 … a_L] in order, as
 * Vinyals et al. 2015 give the image once (else the decoder could not tell where anything is).
 */
export function createInitialState(
  stateSizes: readonly number[],
  { positions, depth, wholeGrid, seed }: { positions: number; depth: number; wholeGrid: boolean; seed: (label: string) => number },
): InitialState {
  const inputSize = wholeGrid ? positions * depth : depth;
  const kernels = stateSizes.map((size, k) => glorotUniform(inputSize, size, seed(`init/${k}`)));
  const biases = stateSizes.map((size) => zerosVariable(size));
  return {
    weights: Object.fromEntries(
      kernels.flatMap((kernel, k) => [
        [`init/${k}/kernel`, kernel],
        [`init/${k}/bias`, biases[k]!],
      ]),
    ),
    from(annotations) {
      const summary = wholeGrid ? tf.reshape(annotations, [annotations.shape[0], positions * depth]) : tf.mean(annotations, 1);
      return kernels.map((kernel, k) => tf.tanh(dense(summary, kernel, biases[k])) as tf.Tensor2D);
    },
  };
}
