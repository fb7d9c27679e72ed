import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@nnkit/core';

/**
 * What a cell's step reads besides its state: x alone (a cell made with contextSize 0) or [x, context] along the
 * features, (batch, inputSize + contextSize). The context is the per-example vector of the cell contract's
 * `CellStepOptions.context` (an attention context, an image's features), the same at every step it is given.
 *
 * Every cell that takes `contextSize` reads its input through this, so the refusals are one: a cell made for a context
 * and stepped without one (or the other way round), or a context of the wrong shape, is a ShapeError that says so
 * instead of a matMul's shape mismatch. `owner` names the cell in it (`lstm/lstm cell 'decoder/layer0'`).
 */
export function withContext(owner: string, contextSize: number, x: tf.Tensor2D, context: tf.Tensor2D | undefined): tf.Tensor2D {
  if (contextSize === 0) {
    if (context === undefined) return x;
    throw new ShapeError(
      `${owner} expects no context (it was made with contextSize 0), got one of shape [${context.shape}]. Create the cell with contextSize: ${context.shape[1]} to read it.`,
    );
  }
  if (context === undefined) {
    throw new ShapeError(
      `${owner} expects a context of shape (batch, ${contextSize}) at every step (it was made with contextSize ${contextSize}), got none. ` +
        'Pass step(x, state, { context }) or unroll(…, { context }).',
    );
  }
  if (context.rank !== 2 || context.shape[0] !== x.shape[0] || context.shape[1] !== contextSize) {
    throw new ShapeError(
      `${owner} expects a context of shape (${x.shape[0]}, ${contextSize}), got shape [${context.shape}]. Give one row of ${contextSize} features per example.`,
    );
  }
  return tf.concat([x, context], 1) as tf.Tensor2D;
}
