import { ConfigError } from '@nnkit/core';
import type { Callback } from './callbacks.js';
import type { CheckpointOptions } from './checkpoint-store.js';

/** The checkpointing callback: where and how to checkpoint, and whether to resume from there. */
export interface CheckpointCallback extends Callback {
  readonly name: 'checkpoint';
  readonly checkpoint: CheckpointOptions;
  readonly resume: boolean;
}

/**
 * Writes crash-safe checkpoints into `options.dir` (Keras's ModelCheckpoint, Lightning's ModelCheckpoint): at the end
 * of every epoch, every `everySteps` steps, `best.ckpt` by `monitor`, the last `keep` kept; with `resume`, the run
 * continues from the newest intact one to the same weights as a run never stopped. `train`'s `checkpoint` and
 * `resume` options are this callback. The trainer writes what it asks for after the other callbacks have run, where
 * the whole run (weights, optimizer, position in the data, every callback's state) is one consistent state.
 */
export function modelCheckpoint(options: CheckpointOptions, { resume = false }: { readonly resume?: boolean } = {}): CheckpointCallback {
  return { name: 'checkpoint', checkpoint: options, resume };
}

export function isCheckpointCallback(callback: Callback): callback is CheckpointCallback {
  return callback.name === 'checkpoint' && typeof (callback as CheckpointCallback).checkpoint === 'object';
}

/**
 * The checkpointing a run asks for, from its `checkpoint` and `resume` options or from a `modelCheckpoint` callback
 * (one way or the other, and one callback at most), as the `checkpoint` and `resume` options the trainer reads.
 */
export function checkpointingOf<
  T extends {
    readonly checkpoint?: CheckpointOptions;
    readonly resume?: boolean;
    readonly callbacks?: readonly Callback[];
  },
>(options: T): T {
  const given = (options.callbacks ?? []).filter(isCheckpointCallback);
  if (given.length === 0) return options;
  if (given.length > 1)
    throw new ConfigError(
      `train expects one modelCheckpoint callback at most, got ${given.length}. Checkpoint into one folder.`,
      'callbacks',
    );
  if (options.checkpoint !== undefined || options.resume !== undefined) {
    throw new ConfigError(
      'train expects checkpointing once, got both the checkpoint (or resume) option and a modelCheckpoint callback. Keep one.',
      'checkpoint',
    );
  }
  return { ...options, checkpoint: given[0]!.checkpoint, resume: given[0]!.resume };
}
