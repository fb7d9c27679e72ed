import { NnkitError } from '@nnkit/core';

/** The loss became NaN or infinite: training stops before the bad update is applied. */
export class TrainingDivergedError extends NnkitError {
  override readonly name = 'TrainingDivergedError';
  constructor(
    readonly step: number,
    readonly loss: number,
    readonly lastCheckpoint: string | undefined,
  ) {
    super(
      'NNKIT_DIVERGED',
      `Training expects a finite loss, got ${loss} at step ${step}; the weights are those of step ${step - 1}. ` +
        (lastCheckpoint ? `The last good checkpoint is ${lastCheckpoint}. ` : 'No checkpoint was written. ') +
        `Lower the learning rate or clip the gradients (clip: { norm: 1 } or --clip-norm 1).`,
    );
  }
}
