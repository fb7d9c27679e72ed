import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@nnkit/core';
import type { DecoderState, IncrementalDecoder } from './incremental-decoder.js';
import { releaseState } from './release-state.js';

/**
 * The default `reorderState`: row i of every tensor of the result is row order[i] of the same tensor of
 * `state` (fairseq's `reorder_incremental_state` with `index_select(0, new_order)`). Returns new tensors the
 * caller owns and leaves `state` alone; a decoder whose state is batch-major needs nothing else.
 */
export function gatherRows(state: DecoderState, order: tf.Tensor1D): DecoderState {
  return tf.tidy(() => state.map((tensor) => tf.gather(tensor, order, 0)));
}

/**
 * Reorders a state with the decoder's own `reorderState` if it has one, else `gatherRows`. An identity order
 * (same rows, same order) returns `state` itself: no gather, nothing new to free.
 */
export function reorderRows(decoder: IncrementalDecoder, state: DecoderState, order: readonly number[], rows: number): DecoderState {
  if (order.length === rows && order.every((from, i) => from === i)) return state;
  const orderTensor = tf.tensor1d(order as number[], 'int32');
  try {
    const reordered = decoder.reorderState ? decoder.reorderState(state, orderTensor) : gatherRows(state, orderTensor);
    const wrong = reordered.find((tensor) => tensor.shape[0] !== order.length);
    if (wrong) {
      releaseState(reordered, state);
      throw new ShapeError(
        `IncrementalDecoder.reorderState expects to return tensors of ${order.length} rows (one per entry of order), ` +
          `got one of shape [${wrong.shape.join(', ')}]. Gather every state tensor along axis 0, or leave reorderState out.`,
      );
    }
    return reordered;
  } finally {
    orderTensor.dispose();
  }
}
