import type * as tf from '@tensorflow/tfjs';

/**
 * The contract every sequence model decodes through, after fairseq's `FairseqIncrementalDecoder`: the model
 * steps one token at a time from a cached state, and beam search reorders that state when it keeps, drops or
 * duplicates hypotheses. Greedy, sampled and beam decoding are then written once, here, for every model.
 */

/**
 * A batch of decoder states: every tensor is batch-major (batch, …) — hidden states, cell states, and any
 * context the decoder attends to (encoder outputs, masks).
 */
export type DecoderState = readonly tf.Tensor[];

export interface DecoderStep {
  /** (batch, vocabularySize): unnormalized next-token scores. */
  readonly logits: tf.Tensor2D;
  readonly state: DecoderState;
  /** (batch, sourcePositions): what this step attended to, where the model has attention. */
  readonly attention?: tf.Tensor2D;
}

export interface IncrementalDecoder<C = unknown> {
  /** Logits width. */
  readonly vocabularySize: number;
  /**
   * The state before the first token, from a context (encoder outputs, an image's features, or just
   * { batchSize } for a language model).
   */
  initialState(context: C): DecoderState;
  /**
   * One step: token ids (batch,) int32 and the state → next-token logits (batch, vocabularySize) and the next
   * state. Must not dispose its inputs; returns new tensors the caller owns. A tensor that does not change
   * from step to step (encoder outputs, a mask) may be passed through as the same object: the decoding
   * functions free each tensor once, and never one of the state they were given.
   */
  step(tokens: tf.Tensor1D, state: DecoderState): DecoderStep;
  /**
   * Row i of the result is row order[i] of `state` (order may repeat rows, drop rows, or be shorter than the
   * batch). Optional: by default every tensor is gathered along axis 0 (`gatherRows`). Must not dispose its
   * inputs.
   */
  reorderState?(state: DecoderState, order: tf.Tensor1D): DecoderState;
}
