import { NnkitError } from '@nnkit/core';

/** The loss or the gradients' norm became NaN or infinite: training stops before the bad update is applied. */
export class TrainingDivergedError extends NnkitError {
  override readonly name = 'TrainingDivergedError';
  constructor(
    readonly step: number,
    readonly loss: number,
    readonly lastCheckpoint: string | undefined,
    readonly gradientNorm?: number,
  ) {
    super(
      'NNKIT_DIVERGED',
      (Number.isFinite(loss) ? `Training expects finite gradients, got a gradient norm of ${gradientNorm} at step ${step} (loss ${loss})` : `Training expects a finite loss, got ${loss} at step ${step}`) +
        `; the weights are those of step ${step - 1}. ` +
        (lastCheckpoint ? `The last good checkpoint is ${lastCheckpoint}. ` : 'No checkpoint was written. ') +
        `Lower the learning rate or clip the gradients (clip: { norm: 1 } or --clip-norm 1).`,
    );
  }
}
