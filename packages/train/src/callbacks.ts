/** What a callback hears at the end of an epoch: the epoch's metrics, training (`loss`, …) and validation (`val_loss`, …). */
export interface EpochLog {
  readonly epoch: number;
  readonly step: number;
  readonly metrics: Readonly<Record<string, number>>;
}

export interface TrainingCallbacks {
  /**
   * After every optimizer step, with that batch's loss and the global norm of its gradients before clipping (the
   * quantity that explodes, Pascanu et al. 2013).
   */
  onStep?(step: number, loss: number, details: { readonly gradientNorm: number }): void | Promise<void>;
  /** After every epoch; return `'stop'` to end training there. */
  onEpochEnd?(log: EpochLog): void | 'stop' | Promise<void | 'stop'>;
}

/** Stops when `monitor` (default `val_loss`) has not improved for `patience` epochs. */
export function earlyStopping({ monitor = 'val_loss', patience = 3, mode = 'min' as 'min' | 'max' } = {}): TrainingCallbacks {
  let best = mode === 'min' ? Infinity : -Infinity;
  let waited = 0;
  return {
    onEpochEnd({ metrics }) {
      const value = metrics[monitor];
      if (value === undefined) return;
      if (mode === 'min' ? value < best : value > best) {
        best = value;
        waited = 0;
        return;
      }
      waited++;
      return waited >= patience ? 'stop' : undefined;
    },
  };
}
