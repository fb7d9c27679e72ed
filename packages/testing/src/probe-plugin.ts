import * as tf from '@tensorflow/tfjs';
import { defineModel, definePlugin, field, type Batch, type NnkitPlugin, type TrainableModel } from '@nnkit/core';
import { trainableVariable, zeroState } from '@nnkit/ops';
import { unroll } from '@nnkit/ops';
import { currentCoreMeta } from './current-core-meta.js';

export const PROBE_NAMESPACE = 'nnkit-testing';

/** The probe model: any registered cell unrolled over padded sequences, read out from its final state. */
export interface MaskedSequenceModel extends TrainableModel {
  /** The state after each row's last real step: one tensor per state component, (batch, size). */
  finalState(inputs: tf.Tensor3D, mask?: tf.Tensor2D): tf.Tensor2D[];
}

/**
 * A model the cell suite registers so that a cell is checked where it will be used: created by name through the
 * registry (`kit.createCell`), unrolled by @nnkit/ops over a batch of padded sequences with a mask, trained by
 * @nnkit/train. Batches: `inputs` (batch, time, inputSize), `mask` (batch, time), `targets` (batch, 1).
 */
const maskedSequence = defineModel({
  name: 'masked-sequence',
  description: 'a registered cell unrolled over masked, padded sequences (the conformance suites’ probe)',
  config: {
    cell: field.string({ description: 'the registered cell under test' }),
    inputSize: field.integer({ default: 3, min: 1, description: 'features per step' }),
    units: field.integer({ default: 4, min: 1, description: 'the cell’s units' }),
  },
  create(config, { kit }): MaskedSequenceModel {
    const cell = kit.createCell(config.cell, {
      inputSize: config.inputSize,
      units: config.units,
      seed: kit.random.derive('probe/cell'),
      name: 'cell',
    });
    const readout = trainableVariable(tf.randomNormal([config.units, 1], 0, 0.5, 'float32', kit.random.derive('probe/readout')));
    const run = (inputs: tf.Tensor3D, mask: tf.Tensor2D | undefined, training: boolean, seed?: number) =>
      unroll(cell, inputs, zeroState(cell, inputs.shape[0]), {
        ...(mask && { mask }),
        training,
        ...(seed !== undefined && { seed }),
      });
    // Called inside tf.tidy, which frees the outputs (a cell may return one tensor as both output and state).
    const predictions = (batch: Batch, training: boolean, seed?: number) =>
      tf.matMul(run(batch.inputs as tf.Tensor3D, batch.mask as tf.Tensor2D | undefined, training, seed).state[0]!, readout);
    return {
      weights: { ...cell.weights, readout },
      finalState: (inputs, mask) => tf.tidy(() => run(inputs, mask, false).state),
      predict: (inputs) => tf.tidy(() => predictions({ inputs }, false)),
      loss: (batch, { training, seed }) => ({
        sum: tf.tidy(() => tf.sum(tf.square(tf.sub(predictions(batch, training, seed), batch.targets!))) as tf.Scalar),
        weight: batch.inputs!.shape[0]!,
      }),
      dispose: () => tf.dispose([...Object.values(cell.weights), readout]),
    };
  },
});

export function probePlugin(): NnkitPlugin {
  return definePlugin({
    meta: currentCoreMeta('@nnkit/testing', PROBE_NAMESPACE),
    models: [maskedSequence],
  });
}
