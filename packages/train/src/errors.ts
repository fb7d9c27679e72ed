import { NnkitError } from '@nnkit/core';

/**
 * The loss or the gradients' norm became NaN or infinite, or the loss passed the mode's limit (a language model's
 * loss past ln(Number.MAX_VALUE) nats per token, where its perplexity is infinite): training stops before the bad
 * update is applied. With `validation`, the validation loss measured after step `step` did (non-finite, or past
 * `divergenceFactor` times its best): those weights are the bad ones.
 */
export class TrainingDivergedError extends NnkitError {
  override readonly name = 'TrainingDivergedError';
  constructor(
    readonly step: number,
    readonly loss: number,
    readonly lastCheckpoint: string | undefined,
    readonly gradientNorm?: number,
    /**
     * `limit`: the limit the loss passed, if it was finite; `validation`: the validation loss, measured after the step;
     * `factor` and `best`: it rose past `factor` times its best so far (`train`'s divergenceFactor).
     */
    {
      limit,
      validation = false,
      factor,
      best,
    }: {
      readonly limit?: number;
      readonly validation?: boolean;
      readonly factor?: number;
      readonly best?: number;
    } = {},
  ) {
    const which = validation ? 'validation loss' : 'loss';
    const when = validation ? `after step ${step}` : `at step ${step}`;
    super(
      'NNKIT_DIVERGED',
      (!Number.isFinite(loss)
        ? `Training expects a finite ${which}, got ${loss} ${when}`
        : factor !== undefined && best !== undefined
          ? `Training expects a ${which} below ${factor}× its best so far (${best.toPrecision(4)}), got ${loss.toPrecision(4)} ${when}`
          : limit !== undefined
            ? `Training expects a ${which} below ${limit.toFixed(2)} nats per token (past it the perplexity exp(loss) is infinite), got ${loss} ${when}`
            : `Training expects finite gradients, got a gradient norm of ${gradientNorm} at step ${step} (loss ${loss})`) +
        (validation ? `; the model holds the diverged weights of step ${step}. ` : `; the weights are those of step ${step - 1}. `) +
        (lastCheckpoint ? `The last good checkpoint is ${lastCheckpoint}. ` : 'No checkpoint was written. ') +
        `Lower the learning rate or clip the gradients (clip: { norm: 1 } or --clip-norm 1).`,
    );
  }
}

/** Who holds a folder's lock file: written into it, so that whoever finds the folder taken can say by whom. */
export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  /** ISO time the lock was taken. */
  readonly startedAt: string;
  readonly purpose: string;
}

/** A folder that another live process (another `nnkit train`, another save) is writing to. */
export class FolderInUseError extends NnkitError {
  override readonly name = 'FolderInUseError';
  constructor(
    readonly dir: string,
    readonly owner: LockOwner,
    readonly lockPath: string,
  ) {
    super(
      'NNKIT_FOLDER_IN_USE',
      `${dir} expects one writer at a time, got it in use by ${owner.purpose} (pid ${owner.pid} on ${owner.hostname}, since ${owner.startedAt}). ` +
        `Wait for that to finish or choose another folder (--out); if that process is gone, delete ${lockPath}.`,
    );
  }
}
