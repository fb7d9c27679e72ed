import { randomUUID } from 'node:crypto';
import { ConfigError, DataError } from '@nnkit/core';
import type { Checkpoint, CheckpointRun, CheckpointStore } from './checkpoint-store.js';

export interface RunStart {
  readonly resume: boolean;
  /** A new run deletes the checkpoints of another instead of being refused. */
  readonly overwrite: boolean;
  /** Everything that defines the run: a resume must have the same. */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly onDamaged: (error: DataError) => void;
  /** Hears that a resume found no checkpoint at all, and so starts a new run. */
  readonly onNote?: (line: string) => void;
  /**
   * The seed the steps use, when `settings.seed` shows another (the seed a user gave, from which this one derives):
   * a checkpoint whose header has this seed belongs to the same seed, whatever its settings say.
   */
  readonly seed?: number;
}

/**
 * Settles which run the checkpoints in `store` belong to, before any training. Resuming continues the newest intact
 * checkpoint's run, and is refused, with every difference listed, when that run had other settings (with none there,
 * a new run starts). A new run needs a folder without checkpoints: another run's would be pruned as soon as it
 * wrote its own (pruning keeps the highest steps), and a later resume would continue the wrong one.
 */
export function startRun(store: CheckpointStore, options: RunStart): { run: CheckpointRun; checkpoint?: Checkpoint } {
  const { settings } = options;
  if (!options.resume) {
    if (!store.isEmpty()) {
      if (!options.overwrite) {
        const newest = store.steps()[0];
        throw new ConfigError(
          `A new training run expects a checkpoint folder of its own, got another run's checkpoints in ${store.dir}${newest !== undefined ? ` (the newest at step ${newest})` : ''}. ` +
            `Continue that run (--resume, or resume: true), choose another folder (--out, or checkpoint.dir), or delete them (--overwrite, or checkpoint.overwrite: true).`,
        );
      }
      store.clear();
    }
    return { run: { id: randomUUID(), settings } };
  }
  const damaged: string[] = [];
  const checkpoint = store.latest((error) => {
    damaged.push(error.message);
    options.onDamaged(error);
  });
  if (!checkpoint) {
    if (damaged.length > 0) {
      // Starting over here would bury the damaged files under the new run's (pruning keeps the highest steps).
      throw new DataError(
        `Resuming the run in ${store.dir} expects an intact checkpoint, got ${damaged.length}, every one damaged (the first: ${damaged[0]}). ` +
          `Restore them from a copy, or start over: --overwrite without --resume (overwrite: true, resume: false) deletes them.`,
      );
    }
    options.onNote?.(`no checkpoint in ${store.dir} to resume from: starting a new run at step 0`);
    return { run: { id: randomUUID(), settings } };
  }
  const { run, seed } = checkpoint.header;
  // Checkpoints from before runs were recorded carry only their seed; a seed shown as given (settings.seed) that
  // differs while the seed the steps used is the same is a run recorded before nnkit showed seeds as given.
  const sameSeed = options.seed !== undefined && seed === options.seed;
  const before = run ? { ...run.settings, ...(sameSeed && { seed: settings.seed }) } : { seed: sameSeed ? settings.seed : seed };
  const differences = run ? settingsDifferences(before, settings) : settingsDifferences(before, { seed: settings.seed });
  if (differences.length > 0) {
    throw new ConfigError(
      `Resuming the run in ${store.dir} expects the settings it was started with, got ${differences.length} different: ${differences.join('; ')}. ` +
        `Resume with its settings (a new learning rate or more epochs are fine), or start a new run: choose another folder (--out), or replace it (--overwrite without --resume).`,
    );
  }
  return { run: run ?? { id: randomUUID(), settings }, checkpoint };
}

/** Each setting that differs, as `name now (the run has before)`, nested objects by dotted names. */
export function settingsDifferences(before: Readonly<Record<string, unknown>>, now: Readonly<Record<string, unknown>>): string[] {
  const was = flatten(before);
  const is = flatten(now);
  return [...new Set([...Object.keys(was), ...Object.keys(is)])]
    .filter((key) => JSON.stringify(was[key]) !== JSON.stringify(is[key]))
    .map((key) => `${key} ${show(is[key])} (the run has ${show(was[key])})`);
}

function flatten(settings: Readonly<Record<string, unknown>>, prefix = ''): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      Object.assign(flat, flatten(value as Record<string, unknown>, `${prefix}${key}.`));
    else if (value !== undefined) flat[`${prefix}${key}`] = value;
  }
  return flat;
}

function show(value: unknown): string {
  return value === undefined ? 'none' : JSON.stringify(value);
}
