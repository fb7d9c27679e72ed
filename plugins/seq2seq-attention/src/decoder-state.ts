import type * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@nnkit/core';
import type { DecoderState } from '@nnkit/decoding';
import type { Memory } from './attention.js';

/** The translator's decoder state by name; the IncrementalDecoder contract carries it as a flat list (`flatten`). */
export interface TranslatorState {
  /** Every decoder layer's state components, bottom first: the state of the stacked decoder cells. */
  readonly layers: readonly tf.Tensor2D[];
  /**
   * (batch, units): what one step hands the next besides the layers — Bahdanau's query, the top layer's previous
   * output s_{t−1}; Luong's fed attentional vector h̃_{t−1} with input feeding. Absent otherwise.
   */
  readonly carried?: tf.Tensor2D;
  /** The encoded source attention reads (the same tensors at every step); absent with attention 'none'. */
  readonly memory?: Memory;
}

/** Which parts a translator's state has: how many layer components, and whether it carries a vector and a memory. */
export interface StateParts {
  readonly layerComponents: number;
  readonly carries: boolean;
  readonly attends: boolean;
  /** luong-dot's keys are its values, so they are carried once. */
  readonly keysApart: boolean;
}

/**
 * The state as the IncrementalDecoder contract carries it, every tensor batch-major (so that the decoding package's
 * default gather reorders it for beams): the layers' components, the carried vector, then the memory's values, keys
 * (when apart from the values) and mask.
 */
export function flattenState({ layers, carried, memory }: TranslatorState, { keysApart }: StateParts): tf.Tensor[] {
  return [...layers, ...(carried ? [carried] : []), ...(memory ? [memory.values, ...(keysApart ? [memory.keys] : []), memory.mask] : [])];
}

/** The flat list back into its named parts; refuses a list of another length than `initialState` makes. */
export function readState(state: DecoderState, parts: StateParts, owner: string): TranslatorState {
  const { layerComponents, carries, attends, keysApart } = parts;
  const length = layerComponents + (carries ? 1 : 0) + (attends ? (keysApart ? 3 : 2) : 0);
  if (state.length !== length) {
    throw new ShapeError(
      `${owner} step expects a state of ${length} tensors (as initialState makes), got ${state.length}. Start from model.initialState({ source, sourceMask }).`,
    );
  }
  let next = layerComponents;
  const take = <T extends tf.Tensor>() => state[next++] as T;
  const carried = carries ? take<tf.Tensor2D>() : undefined;
  let memory: Memory | undefined;
  if (attends) {
    const values = take<tf.Tensor3D>();
    memory = { values, keys: keysApart ? take<tf.Tensor3D>() : values, mask: take<tf.Tensor2D>() };
  }
  return {
    layers: state.slice(0, layerComponents) as tf.Tensor2D[],
    ...(carried && { carried }),
    ...(memory && { memory }),
  };
}
