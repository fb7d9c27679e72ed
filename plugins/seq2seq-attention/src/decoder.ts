import * as tf from '@tensorflow/tfjs';
import { ConfigError, type RecurrentCell } from '@nnkit/core';
import { stackCells, type StackedCells } from '@nnkit/ops';
import type { Attention, Memory } from './attention.js';
import type { AttentionKind } from './config.js';
import type { StateParts, TranslatorState } from './decoder-state.js';

export interface DecoderOptions {
  readonly kind: AttentionKind;
  readonly inputFeeding: boolean;
  /** The decoder's layers, bottom first; the first made with the `contextSize` that `decoderContextSize` gives. */
  readonly cells: readonly RecurrentCell[];
  /** Dropout between the layers while training. */
  readonly dropout: number;
  /** How the decoder scores and reads the source; absent with attention 'none'. */
  readonly attention?: Attention;
}

export interface DecoderStep {
  /** (batch, units): what the output layer reads — h̃_t = tanh(W_c [c_t; h_t]) with attention, the top layer's h_t without. */
  readonly hidden: tf.Tensor2D;
  readonly state: TranslatorState;
  /** (batch, S): this step's attention over the source positions; absent without attention. */
  readonly attention?: tf.Tensor2D;
}

export interface Decoder {
  /** The decoder's layers as one cell (the weights `decoder/layer0/…`, …). */
  readonly stack: StackedCells;
  /** The attention, absent with attention 'none'. */
  readonly attention?: Attention;
  /** Which parts the state has, for flattenState and readState. */
  readonly parts: StateParts;
  /** The state before the first target token, from the layers' initial state (the bridge's) and the encoded source. */
  initialState(layers: tf.Tensor2D[], memory: Memory | undefined): TranslatorState;
  /** One target step from the embedded previous token x (batch, embedding); `seed` seeds the step's dropout. */
  step: DecoderStepFunction;
  /**
   * `step` for a run over a whole target, inside the run's tidy: the layers' steps prepared once (the cells'
   * `prepareSteps`), and where h̃_t feeds no later step (no input feeding), each step's hidden is [c_t; h_t] and
   * `readout` makes h̃ for every step at once (runTeacherForced's contract).
   */
  prepareRun(): { step: DecoderStepFunction; readout?: (joined: tf.Tensor3D) => tf.Tensor3D };
}

export type DecoderStepFunction = (
  x: tf.Tensor2D,
  state: TranslatorState,
  options?: { readonly training?: boolean; readonly seed?: number },
) => DecoderStep;

/** What the first decoder layer reads besides y_{t−1}, and so its cell's contextSize: Bahdanau's c_t, Luong's fed h̃_{t−1}, or nothing. */
export function decoderContextSize(
  kind: AttentionKind,
  inputFeeding: boolean,
  { encoderOutputSize, units }: { encoderOutputSize: number; units: number },
): number {
  if (kind === 'bahdanau') return encoderOutputSize;
  return inputFeeding ? units : 0;
}

/**
 * One target step t of the lecture's encoder–decoder, with y_{t−1} the previous token:
 *
 *   none        h_t = cells(y_{t−1}, s_{t−1})                                           hidden = h_t
 *   bahdanau    c_t = attend(s_{t−1}); h_t = cells([y_{t−1}], s_{t−1}, context c_t)     hidden = tanh(W_c [c_t; h_t])
 *   luong-*     h_t = cells(y_{t−1}, s_{t−1}, context h̃_{t−1} with input feeding); c_t = attend(h_t)
 *                                                                                      hidden = h̃_t = tanh(W_c [c_t; h_t])
 *
 * Bahdanau attends from the previous top output s_{t−1}, carried in the state; Luong from the new one. The context
 * reaches the first layer through the cell contract's `context`, so any registered cell serves.
 */
export function createDecoder({ kind, inputFeeding, cells, dropout, attention }: DecoderOptions): Decoder {
  const stack = stackCells(cells, { dropout });
  const { outputState } = stack;
  if (kind === 'bahdanau' && outputState === undefined) {
    const top = cells.at(-1)!;
    throw new ConfigError(
      `attention 'bahdanau' expects the decoder's top cell to hold its output h in its state (outputState, or a first state component of size ${top.units}), ` +
        `got stateSizes [${top.stateSizes.join(', ')}]. Use a cell whose state starts with h (lstm/lstm, gru/gru), or a luong-* attention.`,
      'decoderCell',
    );
  }
  const carries = kind === 'bahdanau' || inputFeeding;
  const parts: StateParts = {
    layerComponents: stack.stateSizes.length,
    carries,
    attends: attention !== undefined,
    keysApart: kind !== 'none' && kind !== 'luong-dot',
  };

  return {
    stack,
    ...(attention && { attention }),
    parts,
    initialState(layers, memory) {
      // Bahdanau's first query s_0 is the top layer's initial h; Luong's first fed h̃_0 is zeros.
      const carried =
        kind === 'bahdanau'
          ? tf.clone(layers[outputState!]!)
          : inputFeeding
            ? (tf.zeros([layers[0]!.shape[0], stack.units]) as tf.Tensor2D)
            : undefined;
      return { layers, ...(carried && { carried }), ...(memory && { memory }) };
    },
    step: stepThrough(stack.step, false),
    prepareRun: () => {
      const deferred = attention !== undefined && !inputFeeding;
      return {
        step: stepThrough(stack.prepareSteps(), deferred),
        ...(deferred && { readout: (joined: tf.Tensor3D) => attention.combineJoined(joined) }),
      };
    },
  };

  /** The decoder's step around the stack's step (plain or prepared); with `deferCombine`, its hidden is [c_t; h_t]. */
  function stepThrough(stackStep: RecurrentCell['step'], deferCombine: boolean): DecoderStepFunction {
    return (x, { layers, carried, memory }, { training = false, seed } = {}) => {
      const before = kind === 'bahdanau' ? attention!.attend(carried!, memory!) : undefined;
      const context = before?.context ?? carried; // Bahdanau's c_t, Luong's fed h̃_{t−1}, or none
      const { output: h, state: next } = stackStep(x, layers, {
        training,
        ...(seed !== undefined && { seed }),
        ...(context && { context }),
      });
      if (!attention) return { hidden: h, state: { layers: next } };
      const attended = before ?? attention.attend(h, memory!);
      // Deferred, the step leaves [c_t; h_t] for the run's readout to combine for every step at once.
      const hidden = deferCombine ? (tf.concat([attended.context, h], 1) as tf.Tensor2D) : attention.combine(attended.context, h);
      const nextCarried = kind === 'bahdanau' ? h : inputFeeding ? hidden : undefined;
      return {
        hidden,
        state: { layers: next, ...(nextCarried && { carried: nextCarried }), memory },
        attention: attended.weights,
      };
    };
  }
}
