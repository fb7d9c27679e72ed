import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, type CellStepOptions, type RecurrentCell } from '@nnkit/core';
import { deriveSeed } from './derive-seed.js';

/**
 * Which state component of `cell` is its output h: the cell's `outputState`, else 0 where the first component has the
 * output's size (the convention of every built-in cell), else undefined (a cell whose state does not hold h).
 */
export function outputStateOf(cell: Pick<RecurrentCell, 'units' | 'stateSizes' | 'outputState'>): number | undefined {
  if (cell.outputState !== undefined) return cell.outputState;
  return cell.stateSizes[0] === cell.units ? 0 : undefined;
}

export interface StackOptions {
  /**
   * Dropout on each layer's output before the layer above reads it, while training; never on the recurrent
   * connections nor on the top layer's output, which is the caller's (Zaremba et al. 2014). Default 0.
   */
  readonly dropout?: number;
}

/** A stack of cells, itself a cell: layer l reads layer l − 1's output, and its state is every layer's, flattened. */
export interface StackedCells extends RecurrentCell {
  /** The layers, bottom first. */
  readonly cells: readonly RecurrentCell[];
  /** Where each layer's components start in the flat state (its length is the number of layers). */
  readonly offsets: readonly number[];
  /** The flat state split by layer: layer l's components. */
  layerStates<T extends tf.Tensor>(state: readonly T[]): T[][];
  prepareSteps(): RecurrentCell['step'];
}

/**
 * tfjs-layers' StackedRNNCells: layers of recurrent cells as one RecurrentCell, so that a model steps (or unrolls) a
 * deep decoder as it steps one layer, and reads the top layer's h from the state without index arithmetic.
 *
 *   step(x, [s¹…, s²…, …])   layer 1 reads x (and the step's `context`, which only the first layer takes: an
 *                            attention context or an image's features enter where the input does); layer l > 1 reads
 *                            dropout(layer l − 1's output); the stack's output is the top layer's.
 *
 * `stateSizes` is the layers' components in order, `units` the top layer's, `weights` every layer's (their names must
 * differ: create each cell with its own `name`), and `outputState` the top layer's h in the flat state (absent where
 * the top cell's state does not hold it). A step seeded with s seeds layer l with deriveSeed(s, 'layer', l) and the
 * dropout above it with deriveSeed(s, 'dropout', l).
 *
 * `prepareSteps` prepares every layer's steps that can be (the rest step as they are).
 * `sequence` is there when every layer has one: it runs the layers one after the other over the whole sequence, the
 * same values and gradients as `step` except that dropout draws one mask per layer rather than one per step.
 */
export function stackCells(cells: readonly RecurrentCell[], { dropout: rate = 0 }: StackOptions = {}): StackedCells {
  if (cells.length === 0) throw new ConfigError('stackCells expects at least one cell, got none. Give the layers bottom first.', 'cells');
  const weights: Record<string, tf.Variable> = {};
  for (const cell of cells) {
    for (const [name, variable] of Object.entries(cell.weights)) {
      if (name in weights) {
        throw new ConfigError(
          `stackCells expects weights with distinct names, got '${name}' in two layers. Create each cell with its own name ('decoder/layer0', 'decoder/layer1', …).`,
          'cells',
        );
      }
      weights[name] = variable;
    }
  }
  const offsets: number[] = [];
  let length = 0;
  for (const cell of cells) {
    offsets.push(length);
    length += cell.stateSizes.length;
  }
  const top = cells.length - 1;
  const topOutput = outputStateOf(cells[top]!);
  const layerStates = <T extends tf.Tensor>(state: readonly T[]): T[][] => {
    if (state.length !== length) {
      throw new ShapeError(
        `A stack of ${cells.length} cells expects a state of ${length} tensors (each layer's stateSizes, bottom first), got ${state.length}. Start from zeroState(stack, batch).`,
      );
    }
    return cells.map((cell, l) => state.slice(offsets[l], offsets[l]! + cell.stateSizes.length));
  };
  const seedOf = (seed: number | undefined, ...names: (string | number)[]) => (seed === undefined ? undefined : deriveSeed(seed, ...names));
  // Unseeded steps draw unseeded masks (tf.dropout's own stream), never one fixed mask for every step.
  const between = (output: tf.Tensor, l: number, training: boolean, seed: number | undefined) =>
    l < top && training && rate > 0 ? tf.dropout(output, rate, undefined, seedOf(seed, 'dropout', l)) : output;

  /** The stack's step, from one step function per layer. */
  const stepThrough =
    (layerSteps: readonly RecurrentCell['step'][]): RecurrentCell['step'] =>
    (x, state, { training = false, seed, context }: CellStepOptions = {}) => {
      const layers = layerStates(state);
      return tf.tidy(() => {
        const next: tf.Tensor2D[] = [];
        let input = x;
        layerSteps.forEach((step, l) => {
          const result = step(input, layers[l]!, {
            training,
            seed: seedOf(seed, 'layer', l),
            ...(l === 0 && context && { context }),
          });
          next.push(...result.state);
          input = between(result.output, l, training, seed) as tf.Tensor2D;
        });
        return { output: input, state: next };
      });
    };

  const wholeSequence = cells.every((cell) => cell.sequence !== undefined);
  return {
    units: cells[top]!.units,
    stateSizes: cells.flatMap((cell) => cell.stateSizes),
    ...(topOutput !== undefined && { outputState: offsets[top]! + topOutput }),
    weights,
    cells,
    offsets,
    layerStates,
    step: stepThrough(cells.map((cell) => cell.step.bind(cell))),
    // Each layer's prepared steps where it has them (the LSTM's fused kernel), its plain step where not.
    prepareSteps: () => stepThrough(cells.map((cell) => cell.prepareSteps?.() ?? cell.step.bind(cell))),
    ...(wholeSequence && {
      sequence(inputs: tf.Tensor3D, state: readonly tf.Tensor2D[], { training = false, seed }: Omit<CellStepOptions, 'context'> = {}) {
        const layers = layerStates(state);
        return tf.tidy(() => {
          const states: tf.Tensor3D[] = [];
          let sequence = inputs;
          cells.forEach((cell, l) => {
            const result = cell.sequence!(sequence, layers[l]!, { training, seed: seedOf(seed, 'layer', l) });
            states.push(...result.states);
            sequence = between(result.outputs, l, training, seed) as tf.Tensor3D;
          });
          return { outputs: sequence, states };
        });
      },
    }),
  };
}
