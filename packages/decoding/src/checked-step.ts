import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@nnkit/core';
import type { DecoderState, DecoderStep, IncrementalDecoder } from './incremental-decoder.js';
import { releaseState } from './release-state.js';

/**
 * One decoder step from plain token ids, with the decoder's promises checked: a model author whose step
 * returns the wrong shapes learns it here, by name, instead of from a gather three calls later.
 */
export function checkedStep(decoder: IncrementalDecoder, tokens: readonly number[], state: DecoderState): DecoderStep {
  const rows = tokens.length;
  const input = tf.tensor1d(tokens as number[], 'int32');
  let step: DecoderStep;
  try {
    step = decoder.step(input, state);
  } finally {
    input.dispose();
  }
  const problem = stepProblem(step, rows, decoder.vocabularySize);
  if (problem) {
    // Free what the step made (not what it passed through from `state`) before refusing it.
    releaseState([step.logits, ...step.state, ...(step.attention ? [step.attention] : [])], state);
    throw new ShapeError(`IncrementalDecoder.step ${problem}`);
  }
  return step;
}

function stepProblem(step: DecoderStep, rows: number, vocabularySize: number): string | undefined {
  const { logits, attention } = step;
  if (logits.rank !== 2 || logits.shape[0] !== rows || logits.shape[1] !== vocabularySize) {
    return (
      `expects to return logits of shape [${rows}, ${vocabularySize}] (rows, vocabularySize), got [${logits.shape.join(', ')}]. ` +
      `Return one row of scores per input token, as wide as the decoder's vocabularySize.`
    );
  }
  if (attention && (attention.rank !== 2 || attention.shape[0] !== rows)) {
    return (
      `expects to return attention of shape [${rows}, sourcePositions], got [${attention.shape.join(', ')}]. ` +
      `Return this step's attention weights, one row per input token.`
    );
  }
  const wrong = step.state.findIndex((tensor) => tensor.rank === 0 || tensor.shape[0] !== rows);
  if (wrong >= 0) {
    return (
      `expects to return a state whose tensors all have ${rows} rows, got tensor ${wrong} of shape ` +
      `[${step.state[wrong]!.shape.join(', ')}]. Keep every state tensor batch-major.`
    );
  }
  return undefined;
}

export interface ScoredStep {
  /** (rows, vocabularySize): log-softmax of the logits, −∞ at excluded ids. */
  readonly logProbabilities: tf.Tensor2D;
  readonly state: DecoderState;
  readonly attention?: tf.Tensor2D;
}

/** A checked step whose logits are turned into log-probabilities (the logits are freed). */
export function scoredStep(
  decoder: IncrementalDecoder,
  tokens: readonly number[],
  state: DecoderState,
  excluded: Float32Array | undefined,
): ScoredStep {
  const step = checkedStep(decoder, tokens, state);
  const logProbabilities = tf.tidy(() => {
    const normalized = tf.logSoftmax(tf.cast(step.logits, 'float32'));
    return excluded ? tf.add(normalized, tf.tensor2d(excluded, [1, excluded.length])) : normalized;
  }) as tf.Tensor2D;
  step.logits.dispose();
  return { logProbabilities, state: step.state, ...(step.attention && { attention: step.attention }) };
}

/**
 * Reads a scored step back from the device: what `choose` makes of its log-probabilities, and its attention weights
 * (rows × sources, row-major) if it has any. Frees both tensors, also when `choose` throws.
 */
export async function readStep<T>(
  step: ScoredStep,
  choose: (logProbabilities: tf.Tensor2D) => Promise<T>,
): Promise<{ chosen: T; weights: tf.TypedArray | undefined; sources: number }> {
  try {
    const chosen = await choose(step.logProbabilities);
    const weights = step.attention ? await step.attention.data() : undefined;
    return { chosen, weights, sources: step.attention?.shape[1] ?? 0 };
  } finally {
    step.logProbabilities.dispose();
    step.attention?.dispose();
  }
}

/** Row i of a (rows, width) array read back from the device. */
export function rowOf(values: tf.TypedArray, row: number, width: number): number[] {
  return Array.from(values.subarray(row * width, (row + 1) * width));
}
