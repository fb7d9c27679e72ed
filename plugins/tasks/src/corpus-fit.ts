import { ConfigError } from '@nnkit/core';

/** One size a model's config must agree with its corpus on. */
export interface CorpusFit {
  /** The config field: `vocabularySize`, `imageHeight`. */
  readonly field: string;
  /** What the corpus has: its vocabulary's size, its images' height. */
  readonly corpus: number;
  /** The corpus's quantity in words: "symbols in its vocabulary". */
  readonly what: string;
  /** `atLeast`: the model may have room for more (a vocabulary); `equal`: it must match (an image's side). */
  readonly rule: 'atLeast' | 'equal';
}

/**
 * Refuses, before training, a config whose sizes can't hold the corpus: a vocabulary smaller than the corpus's would
 * fail only at the first step ("class ids in 0 … 4, got 89"), and images of another shape at the first batch. Every
 * misfit is named at once, with the corpus's value, so that one fix settles them all. Fields the config lacks are
 * skipped (a model that takes no vocabulary size).
 */
export function refuseMisfits(
  key: string,
  datasetKey: string,
  config: Readonly<Record<string, unknown>>,
  fits: readonly CorpusFit[],
): void {
  const misfits = fits.filter(({ field, corpus, rule }) => {
    const value = config[field];
    if (typeof value !== 'number') return false;
    return rule === 'atLeast' ? value < corpus : value !== corpus;
  });
  if (misfits.length === 0) return;
  const expected = misfits.map(({ field, corpus, rule }) => `${field} ${rule === 'atLeast' ? '≥ ' : ''}${corpus}`).join(' and ');
  const got = misfits
    .map(({ field, corpus, what }) => `${field} ${String(config[field])} (${datasetKey} has ${corpus} ${what})`)
    .join(', ');
  const fields = misfits.map(({ field }) => field).join(', ');
  throw new ConfigError(
    `Config for model '${key}' expects ${expected} to fit ${datasetKey}, got ${got}. ` +
      `Leave ${fields} out of --config to take the corpus's, or set ${misfits.length === 1 ? 'it' : 'them'} to fit.`,
  );
}
