import * as tf from '@tensorflow/tfjs';
import type { RecurrentCell } from '@nnkit/core';
import { expectClose } from '@nnkit/core/testing';
import { unroll, zeroState } from '@nnkit/ops';

/** The sizes of the inputs a cell and its tf.layers counterpart are compared on. */
export interface LayerParitySizes {
  readonly batch: number;
  readonly steps: number;
  readonly inputSize: number;
}

/** What a tf.layers recurrent layer is made with to match a cell: its units, the input shape, every step's output. */
export interface LayerOptions {
  readonly units: number;
  readonly returnSequences: true;
  readonly inputShape: [number, number];
}

/**
 * Expects `cell`, unrolled from a zero state over seeded random inputs, to give at every step what a tf.layers
 * recurrent layer gives with `layerWeights` (to 1e-5): the check that a cell computes the textbook recurrence.
 * `layer` makes the layer from the options given (`tf.layers.simpleRNN` as it is).
 */
export async function expectSameAsLayer(
  cell: RecurrentCell,
  layer: (options: LayerOptions) => tf.layers.Layer,
  layerWeights: readonly tf.Tensor[],
  { batch, steps, inputSize }: LayerParitySizes,
): Promise<void> {
  const xs = tf.randomNormal([batch, steps, inputSize], 0, 1, 'float32', 2) as tf.Tensor3D;
  const model = tf.sequential({ layers: [layer({ units: cell.units, returnSequences: true, inputShape: [steps, inputSize] })] });
  model.setWeights([...layerWeights]);
  const expected = model.predict(xs) as tf.Tensor;
  const actual = tf.tidy(() => tf.stack(unroll(cell, xs, zeroState(cell, batch)).outputs, 1));
  expectClose(await actual.data(), await expected.data(), { rtol: 1e-5, atol: 1e-5 });
  tf.dispose([xs, expected, actual]);
  model.dispose();
}
