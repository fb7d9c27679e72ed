import * as tf from '@tensorflow/tfjs';
import { unstackSteps } from './cell-state.js';
import { deriveSeed } from './derive-seed.js';
import { dropout } from './layers.js';
import type { OutputLayer } from './output-layer.js';

/** One decoder step: the next state, the vector the output layer reads, and where the step attended (if it does). */
export interface DecoderStepOutput<S> {
  readonly state: S;
  /** What the output layer reads (batch, units), or with the decoder's `readout` what that is made from. */
  readonly hidden: tf.Tensor2D;
  readonly attention?: tf.Tensor2D;
}

/** A decoder as teacher forcing runs it: its target embedding, its output layer, and one step from a state. */
export interface TeacherForcedDecoder<S> {
  /** (vocabularySize, embedding) */
  readonly table: tf.Tensor;
  readonly output: OutputLayer;
  /** Dropout on the embedded targets while training. */
  readonly dropout: number;
  step(x: tf.Tensor2D, state: S, options: { training: boolean; seed: number }): DecoderStepOutput<S>;
  /**
   * Optional: where no step reads the vector the output layer reads (Luong's h̃ without input feeding, the captioner's
   * o_t), a step may return what that vector is made from as its `hidden` ([c_t; h_t], say), and `readout` makes the
   * vector for every step at once, (batch, T, n) → (batch, T, units): one product over all steps instead of one each.
   */
  readout?(hidden: tf.Tensor3D): tf.Tensor3D;
}

export interface TeacherForcingOptions {
  readonly training: boolean;
  /** The run's seed: every dropout mask (and coin) derives from it under `decoder`. */
  readonly seed: number;
  /**
   * Step t's input in place of the embedded true token (t ≥ 1), from the previous step's hidden vector: scheduled
   * sampling's own predictions. `seedOf` names seeds under the run's `decoder` seeds.
   */
  readonly replaceInput?: (t: number, previousHidden: tf.Tensor2D, seedOf: (...names: (string | number)[]) => number) => tf.Tensor2D;
}

/**
 * A decoder over a whole target (batch, T) from `start`, every step reading the true previous token (teacher forcing)
 * unless `replaceInput` says otherwise: the logits of every step (batch, T, V), from one output-layer call at the end
 * (and one `readout`, where the decoder has it),
 * and the attention of every step (batch, T, …) where the steps attend.
 */
export function runTeacherForced<S>(
  decoder: TeacherForcedDecoder<S>,
  start: S,
  targetInput: tf.Tensor2D,
  { training, seed, replaceInput }: TeacherForcingOptions,
): { logits: tf.Tensor3D; attention?: tf.Tensor3D } {
  const seedOf = (...names: (string | number)[]) => deriveSeed(seed, 'decoder', ...names);
  // Time-major, (T, batch, embedding), so that the steps are contiguous slices.
  const timeMajor = tf.transpose(tf.cast(targetInput, 'int32'));
  const embedded = unstackSteps(
    dropout(tf.gather(decoder.table, timeMajor), decoder.dropout, training, seedOf('embedding')),
    0,
  ) as tf.Tensor2D[];
  let state = start;
  const hiddens: tf.Tensor2D[] = [];
  const attentions: tf.Tensor2D[] = [];
  const { readout } = decoder;
  // What the output layer read at step t − 1, for scheduled sampling's own prediction.
  const readAt = (t: number) =>
    readout ? (tf.squeeze(readout(tf.expandDims(hiddens[t]!, 1) as tf.Tensor3D), [1]) as tf.Tensor2D) : hiddens[t]!;
  embedded.forEach((trueInput, t) => {
    const x = replaceInput && t > 0 ? replaceInput(t, readAt(t - 1), seedOf) : trueInput;
    const step = decoder.step(x, state, { training, seed: seedOf(t) });
    state = step.state;
    hiddens.push(step.hidden);
    if (step.attention) attentions.push(step.attention);
  });
  const stacked = tf.stack(hiddens, 1) as tf.Tensor3D;
  const logits = decoder.output.logits(readout ? readout(stacked) : stacked, { training, seed: seedOf('output') }); // (batch, T, V)
  return { logits, ...(attentions.length > 0 && { attention: tf.stack(attentions, 1) as tf.Tensor3D }) };
}
