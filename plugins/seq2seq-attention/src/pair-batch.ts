import type * as tf from '@tensorflow/tfjs';
import { ShapeError, type Batch } from '@nnkit/core';
import { requireTensors } from '@nnkit/ops';

const OWNER = 'seq2seq/translator';
const PAIR_TENSORS = ['source', 'sourceMask', 'targetInput', 'targetOutput', 'targetMask'] as const;

/** A batch of sequence pairs, as sequencePairBatches and padPairs make it: every tensor (batch, length). */
export type PairBatch = Record<(typeof PAIR_TENSORS)[number], tf.Tensor2D>;

/** The batch's tensors, checked: one target row per source row, the targets and their mask of one shape. */
export function readPairBatch(batch: Batch): PairBatch {
  const tensors = requireTensors(batch, PAIR_TENSORS, `The translator (${OWNER})`) as PairBatch;
  const { source, sourceMask, targetInput, targetOutput, targetMask } = tensors;
  checkSource(source, sourceMask, 'loss');
  for (const [name, t] of [
    ['targetOutput', targetOutput],
    ['targetMask', targetMask],
  ] as const) {
    if (t.rank !== 2 || t.shape[0] !== targetInput.shape[0] || t.shape[1] !== targetInput.shape[1]) {
      throw new ShapeError(
        `${OWNER} expects ${name} of targetInput's shape [${targetInput.shape}], got [${t.shape}]. Make batches with sequencePairBatches or padPairs.`,
      );
    }
  }
  if (targetInput.shape[0] !== source.shape[0]) {
    throw new ShapeError(
      `${OWNER} expects one target row per source row (${source.shape[0]}), got ${targetInput.shape[0]}. Make batches with sequencePairBatches or padPairs.`,
    );
  }
  return tensors;
}

/** Source ids (batch, S) and a mask of their shape, or a ShapeError that says how to make them. */
export function checkSource(source: tf.Tensor, sourceMask: tf.Tensor | undefined, caller: string): void {
  if (source.rank !== 2) throw new ShapeError(`${OWNER} ${caller} expects source ids of shape (batch, S), got shape [${source.shape}].`);
  if (!sourceMask || sourceMask.rank !== 2 || sourceMask.shape[0] !== source.shape[0] || sourceMask.shape[1] !== source.shape[1]) {
    throw new ShapeError(
      `${OWNER} ${caller} expects a sourceMask of the source's shape [${source.shape}], got ${sourceMask ? `[${sourceMask.shape}]` : 'none'}. ` +
        'Give 1 at real positions and 0 at padding (padPairs makes both).',
    );
  }
}
