import * as tf from '@tensorflow/tfjs';
import { type CellOptions, type RecurrentCell, type WeightMap } from '@nnkit/core';
import {
  deriveSeed,
  dropout,
  embeddingTable,
  runPaddedSequence,
  tidy,
  unroll,
  unstackSteps,
  zeroState,
  type PaddedSequenceOptions,
} from '@nnkit/ops';

/** What the encoder makes of a batch of sources. */
export interface EncodedSource {
  /** (batch, S, E): the top layer's output at each source position, both directions joined; exactly 0 at padding. */
  readonly outputs: tf.Tensor3D;
  /**
   * Per layer, its final state components: the forward direction's after each row's last real position, then the
   * backward direction's after position 0 (the masked run gives both), so padding never reaches them.
   */
  readonly finalStates: tf.Tensor2D[][];
  /** (batch, S) float32: 1 at real positions, 0 at padding. */
  readonly mask: tf.Tensor2D;
}

export interface EncodeOptions {
  /** Dropout only while training. */
  readonly training: boolean;
  /** The run's seed: the encoder's dropout draws from deriveSeed(seed, 'encoder', …). */
  readonly seed: number;
}

export interface Encoder {
  /** `source-embedding`, `encoder/forward/layer0/…`, `encoder/backward/layer0/…`. */
  readonly weights: WeightMap;
  /** E, the size of an output: units, or 2·units when bidirectional. */
  readonly outputSize: number;
  /** Per layer, the size of each final state component (forward's, then backward's). */
  readonly finalStateSizes: readonly (readonly number[])[];
  /** source: (batch, S) ids; mask: (batch, S), 1 at real positions, right-padded. The result's tensors are the caller's. */
  encode(source: tf.Tensor2D, mask: tf.Tensor2D, options: EncodeOptions): EncodedSource;
}

export interface EncoderOptions {
  readonly vocabularySize: number;
  readonly embedding: number;
  readonly units: number;
  readonly layers: number;
  readonly bidirectional: boolean;
  readonly dropout: number;
  readonly createCell: (options: CellOptions) => RecurrentCell;
  readonly seed: (label: string) => number;
}

/**
 * A stack of recurrent layers over the embedded source, any registered cell. Bidirectional (Schuster & Paliwal 1997;
 * Bahdanau et al. 2015): each layer runs a forward and a backward cell over its input, and their outputs, joined
 * position by position, are the next layer's input. Padding is masked: a padded step keeps the state and outputs 0.
 * Dropout on the embeddings and between layers while training, never on the recurrent connections.
 */
export function createEncoder(options: EncoderOptions): Encoder {
  const { vocabularySize, embedding, units, layers, bidirectional, dropout: rate, createCell, seed } = options;
  const directions = bidirectional ? (['forward', 'backward'] as const) : (['forward'] as const);
  const outputSize = directions.length * units;
  // The cells first: a cell name the registry does not know throws before anything else is allocated.
  const cells = Array.from({ length: layers }, (_, l) =>
    directions.map((direction) =>
      createCell({
        inputSize: l === 0 ? embedding : outputSize,
        units,
        seed: seed(`encoder/${direction}/layer${l}`),
        name: `encoder/${direction}/layer${l}`,
      }),
    ),
  );
  const table = embeddingTable(vocabularySize, embedding, seed('source-embedding'));
  const weights: WeightMap = {
    'source-embedding': table,
    ...Object.assign({}, ...cells.flat().map((cell) => cell.weights)),
  };

  return {
    weights,
    outputSize,
    finalStateSizes: cells.map((layer) => layer.flatMap((cell) => cell.stateSizes)),
    encode(source, mask, { training, seed: runSeed }) {
      return tidy(() => {
        const realMask = tf.cast(mask, 'float32') as tf.Tensor2D;
        // Time-major inside, (S, batch, embedding), as the cells' whole-sequence path reads it.
        const embedded = dropout(
          tf.gather(table, tf.transpose(tf.cast(source, 'int32'))),
          rate,
          training,
          deriveSeed(runSeed, 'encoder', 'embedding'),
        );
        let inputs = embedded as tf.Tensor3D;
        const finalStates: tf.Tensor2D[][] = [];
        let top: tf.Tensor3D | undefined;
        cells.forEach((layer, l) => {
          const runs = layer.map((cell, d) =>
            runLayer(cell, inputs, {
              mask: realMask,
              reverse: d === 1,
              training,
              seed: deriveSeed(runSeed, 'encoder', directions[d]!, l),
            }),
          );
          finalStates.push(runs.flatMap((run) => run.state));
          // (S, batch, E): the directions' outputs joined position by position.
          const joined =
            runs.length === 1
              ? runs[0]!.outputs
              : tf.concat(
                  runs.map((run) => run.outputs),
                  2,
                );
          // Dropout between layers only: the top layer's outputs are what attention reads.
          if (l < layers - 1) inputs = dropout(joined, rate, training, deriveSeed(runSeed, 'encoder', 'dropout', l));
          top = joined;
        });
        return { outputs: tf.transpose(top!, [1, 0, 2]) as tf.Tensor3D, finalStates, mask: realMask };
      });
    },
  };
}

/**
 * One direction of one layer over the time-major input (S, batch, I), from the zero state: through the cell's
 * whole-sequence path where it has one (BlockLSTM for the LSTM on the native backend: the same values and gradients
 * in a few kernels), else step by step.
 */
export function runLayer(cell: RecurrentCell, inputs: tf.Tensor3D, options: PaddedSequenceOptions) {
  const start = zeroState(cell, inputs.shape[1]);
  if (cell.sequence) return runPaddedSequence(cell, inputs, start, options);
  const { outputs, state } = unroll(cell, unstackSteps(inputs, 0) as tf.Tensor2D[], start, options);
  return { outputs: tf.stack(outputs) as tf.Tensor3D, state };
}
