import * as tf from '@tensorflow/tfjs';
import { ConfigError, type RecurrentCell } from '@nnkit/core';

export interface PaddedSequenceOptions {
  /**
   * (batch, time): 1 at real steps, 0 at padding, right-padded (each row's real steps come first, as padPairs and the
   * tasks' batches make them). Any nonzero counts as real.
   */
  readonly mask: tf.Tensor2D;
  /** Run each row from its last real step to its first, as the backward half of a bidirectional encoder. Default false. */
  readonly reverse?: boolean;
  readonly training?: boolean;
  readonly seed?: number;
}

export interface PaddedSequenceRun {
  /** (time, batch, units): each position's output, exactly 0 at padding. */
  readonly outputs: tf.Tensor3D;
  /** The state after each row's last real step (its first, with `reverse`); the initial state for an empty row. */
  readonly state: tf.Tensor2D[];
}

/**
 * A cell's whole-sequence path (`cell.sequence`: BlockLSTM on the native backend) over a right-padded batch, with
 * `unroll`'s masked semantics: the same outputs, final state and gradients as `unroll(cell, …, { mask, reverse })`,
 * in a few kernels instead of a few dozen per step. (A cell with randomness of its own draws it once for the sequence,
 * where unroll seeds each step with seed + t.) A mask that is not right-padded is not checked, since that would read
 * it back: its rows would be run as if their real steps came first.
 *
 * Forward, a row's padding comes after its real steps, so the cell runs over it freely and nothing reads what it
 * computes there: the outputs are masked and the final state is gathered at the row's last real step. Reverse, each
 * row's real steps are put in reverse order first (its padding stays at the end), run the same way, and put back.
 * `inputs` are time-major, (time, batch, inputSize).
 */
export function runPaddedSequence(
  cell: RecurrentCell,
  inputs: tf.Tensor3D,
  state: readonly tf.Tensor2D[],
  { mask, reverse = false, training, seed }: PaddedSequenceOptions,
): PaddedSequenceRun {
  const sequence = cell.sequence;
  if (!sequence) {
    throw new ConfigError(
      `runPaddedSequence expects a cell with a whole-sequence path (sequence), got one without. Use unroll for this cell.`,
      'cell',
    );
  }
  return tf.tidy(() => {
    const [time, batch] = inputs.shape;
    const real = tf.transpose(tf.cast(mask, 'bool')); // (time, batch)
    const lengths = tf.sum(tf.cast(real, 'float32'), 0); // (batch)
    const columns = tf.range(0, batch);
    // Row of the flattened (time · batch, …) tensor that holds step `position` of example b.
    const flatRow = (position: tf.Tensor) => tf.cast(tf.add(tf.mul(position, batch), columns), 'int32');
    const positions = tf.reshape(tf.range(0, time), [time, 1]);
    // Reversal within each row's real steps: position t ↦ length − 1 − t, padding left in place. It is its own inverse.
    const reversal = reverse
      ? tf.reshape(flatRow(tf.where(tf.less(positions, lengths), tf.sub(tf.sub(lengths, 1), positions), positions)), [-1])
      : undefined;
    const inOrder = <T extends tf.Tensor>(x: T): T =>
      reversal ? (tf.reshape(tf.gather(tf.reshape(x, [time * batch, -1]), reversal), x.shape) as T) : x;
    const run = sequence(inOrder(inputs), state, { ...(training !== undefined && { training }), ...(seed !== undefined && { seed }) });
    const last = flatRow(tf.maximum(tf.sub(lengths, 1), 0));
    const nonEmpty = tf.expandDims(tf.greater(lengths, 0), 1);
    return {
      // tf.where rather than a product with the mask, as unroll: +0 at padding, and nothing non-finite comes through.
      outputs: tf.where(tf.expandDims(real, 2), inOrder(run.outputs), tf.zerosLike(run.outputs)) as tf.Tensor3D,
      state: run.states.map((states, k) =>
        tf.where(nonEmpty, tf.gather(tf.reshape(states, [time * batch, -1]), last), state[k]!),
      ) as tf.Tensor2D[],
    };
  });
}
