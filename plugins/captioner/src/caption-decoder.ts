import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, type RecurrentCell, type WeightMap } from '@nnkit/core';
import type { DecoderState } from '@nnkit/decoding';
import { dense, glorotUniform, outputStateOf, zerosVariable } from '@nnkit/ops';
import type { Annotations, GridAttention } from './grid-attention.js';

/** The captioner's decoder state by name; the IncrementalDecoder contract carries it flattened (`flatten`). */
export interface CaptionState {
  /** The decoder cell's state components ([h, c] for an LSTM). */
  readonly cell: readonly tf.Tensor2D[];
  /** The grid attention reads, the same tensors at every word; absent without attention. */
  readonly annotations?: Annotations;
}

export interface CaptionStep {
  /** (batch, units): the pre-output o_t that the output layer reads. */
  readonly hidden: tf.Tensor2D;
  readonly state: CaptionState;
  /** (batch, L): this word's attention over the grid; absent without attention. */
  readonly attention?: tf.Tensor2D;
}

export interface CaptionDecoder {
  /** The cell's (`decoder/…`), the attention's (`attention/…`) and the pre-output's (`output/hidden/…`, `output/context/kernel`). */
  readonly weights: WeightMap;
  /** One word from the embedded previous word x (batch, embedding); `seed` seeds the cell's randomness, if any. */
  step: CaptionStepFunction;
  /**
   * `step` for a run over a whole caption, inside the run's tidy: the cell's steps prepared once (its `prepareSteps`),
   * each step's hidden [h_t; ẑ_t] (h_t without attention), and `readout` making o_t for every step at once
   * (runTeacherForced's contract: no step reads o_t).
   */
  prepareRun(): { step: CaptionStepFunction; readout: (joined: tf.Tensor3D) => tf.Tensor3D };
  /** The state as a flat list for the IncrementalDecoder contract, every tensor batch-major: the cell's components, then the annotations' values and keys. */
  flatten(state: CaptionState): tf.Tensor[];
  /** The flat list back into its named parts; refuses a list of another length than `flatten` makes. */
  read(state: DecoderState): CaptionState;
}

export type CaptionStepFunction = (
  x: tf.Tensor2D,
  state: CaptionState,
  options?: { readonly training?: boolean; readonly seed?: number },
) => CaptionStep;

export interface CaptionDecoderOptions {
  readonly cell: RecurrentCell;
  /** The cell's name in the registry, for the refusal of a cell whose state does not hold h. */
  readonly cellName: string;
  /** Soft attention over the grid; absent: the decoder sees the image only through its initial state. */
  readonly attention?: GridAttention;
  /** D, the size of an annotation (and of the attention context). */
  readonly depth: number;
  readonly seed: (label: string) => number;
}

const OWNER = 'captioner/captioner';

/**
 * One word of Show, Attend and Tell (Xu et al. 2015), from the previous word y_{t−1} and the state:
 *
 *   soft   ẑ_t = attend(a, h_{t−1}); h_t = cell(E y_{t−1}, state_{t−1}, context ẑ_t); o_t = tanh(W_h h_t + W_z ẑ_t + b)
 *   none   h_t = cell(E y_{t−1}, state_{t−1});                                         o_t = tanh(W_h h_t + b)
 *
 * h_{t−1} is read from the cell's state where its contract says it is (outputStateOf), so any registered cell that
 * holds h serves.
 */
export function createCaptionDecoder({ cell, cellName, attention, depth, seed }: CaptionDecoderOptions): CaptionDecoder {
  const hAt = outputStateOf(cell);
  if (hAt === undefined) {
    throw new ConfigError(
      `${OWNER} expects the decoder cell to hold its output h in its state (outputState, or a first state component of size ${cell.units}), got '${cellName}' with stateSizes ` +
        `[${cell.stateSizes.join(', ')}]. Use a cell whose state starts with h (lstm/lstm, gru/gru, rnn-lm/simple).`,
      'cell',
    );
  }
  const { units } = cell;
  const hiddenKernel = glorotUniform(units, units, seed('output/hidden')); // W_h
  const contextKernel = attention ? glorotUniform(depth, units, seed('output/context')) : undefined; // W_z
  const hiddenBias = zerosVariable(units);
  const components = cell.stateSizes.length;
  return {
    weights: {
      ...cell.weights,
      ...attention?.weights,
      'output/hidden/kernel': hiddenKernel,
      ...(contextKernel && { 'output/context/kernel': contextKernel }),
      'output/hidden/bias': hiddenBias,
    },
    step: stepThrough(cell.step.bind(cell), false),
    prepareRun: () => ({
      step: stepThrough(cell.prepareSteps?.() ?? cell.step.bind(cell), true),
      // o = tanh(W_h h + W_z ẑ + b) for every step: [h; ẑ] times [W_h; W_z].
      readout: (joined) =>
        tf.tanh(
          dense(joined, contextKernel ? (tf.concat([hiddenKernel, contextKernel], 0) as tf.Tensor2D) : hiddenKernel, hiddenBias),
        ) as tf.Tensor3D,
    }),
    flatten: ({ cell: components, annotations }) => [...components, ...(annotations ? [annotations.values, annotations.keys] : [])],
    read(state) {
      const expected = components + (attention ? 2 : 0);
      if (state.length !== expected) {
        throw new ShapeError(
          `${OWNER} step expects a state of ${expected} tensors (as initialState makes), got ${state.length}. Start from model.initialState({ images }).`,
        );
      }
      const [values, keys] = state.slice(components) as tf.Tensor3D[];
      return {
        cell: state.slice(0, components) as tf.Tensor2D[],
        ...(attention && { annotations: { values: values!, keys: keys! } }),
      };
    },
  };

  /** The decoder's step around the cell's step (plain or prepared); `deferred`, its hidden is [h_t; ẑ_t] for the readout. */
  function stepThrough(cellStep: RecurrentCell['step'], deferred: boolean): CaptionStepFunction {
    return (x, { cell: previous, annotations }, { training = false, seed: stepSeed } = {}) => {
      const attended = annotations && attention!.attend(previous[hAt!]!, annotations);
      const { output: h, state } = cellStep(x, previous, {
        training,
        ...(stepSeed !== undefined && { seed: stepSeed }),
        ...(attended && { context: attended.context }),
      });
      // Deferred, the step leaves [h_t; ẑ_t] for the run's readout to make o_t of every step at once.
      const hidden = deferred
        ? attended
          ? (tf.concat([h, attended.context], 1) as tf.Tensor2D)
          : h
        : (tf.tanh(tf.add(dense(h, hiddenKernel, hiddenBias), attended ? tf.matMul(attended.context, contextKernel!) : 0)) as tf.Tensor2D);
      return {
        hidden,
        state: { cell: state, ...(annotations && { annotations }) },
        ...(attended && { attention: attended.weights }),
      };
    };
  }
}
