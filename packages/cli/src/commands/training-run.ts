import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Kit } from '@nnkit/core';
import {
  CheckpointStore,
  cleanDeadTemporaries,
  describeRunFolder,
  FolderInUseError,
  isEmptyRunFolder,
  lockFolder,
  orphanWeights,
  removeLitter,
  runFolderContents,
  type CheckpointOptions,
  type FolderLock,
} from '@nnkit/train';
import { UsageError } from '../usage-error.js';

/** What `nnkit train` settled before it trains: the model, its dataset and where to write. */
export interface TrainingRun {
  readonly kit: Kit;
  readonly key: string;
  readonly datasetKey: string;
  readonly datasetOptions: Record<string, unknown>;
  readonly out: string;
  /** A new run deletes another run's checkpoints in `out` rather than being refused. */
  readonly overwrite: boolean;
}

/**
 * Where `nnkit train` keeps checkpoints (`<out>/checkpoints`), and what a resumed run must share with the one it
 * continues besides what `train` checks itself (batches, data size): the kit's seed, the model and its whole config,
 * the dataset and its options, and `extra` (what the task adds: a batch size `train` does not see in a BatchSource).
 */
export function checkpointsFor(
  run: TrainingRun,
  config: Readonly<Record<string, unknown>>,
  extra: Readonly<Record<string, unknown>> = {},
): CheckpointOptions {
  return {
    dir: join(run.out, 'checkpoints'),
    overwrite: run.overwrite,
    // The seed as the user gave it (--seed, NNKIT_SEED), shown in a refused resume rather than the one derived from it.
    settings: {
      seed: run.kit.random.seed,
      model: run.key,
      config,
      dataset: run.datasetKey,
      datasetOptions: run.datasetOptions,
      ...extra,
    },
  };
}

/** The settings a run recorded in its checkpoints (`checkpointsFor`), those `nnkit train --resume` may take from it. */
export interface StartedSettings {
  readonly config?: Record<string, unknown>;
  readonly dataset?: string;
  readonly datasetOptions?: Record<string, unknown>;
  readonly batchSize?: number;
}

/**
 * The settings the run in `<out>/checkpoints` started with, read from its newest intact checkpoint: `{}` where there
 * is none, it is another model's run, or it predates recorded settings (the resume then meets its own refusal,
 * naming what differs). The seed is not among them: the kit is made with the one given (--seed, NNKIT_SEED, else
 * 42) before this is read.
 */
export function startedSettings(out: string, model: string): StartedSettings {
  const dir = join(out, 'checkpoints');
  if (!existsSync(dir)) return {};
  const settings = new CheckpointStore(dir).latest()?.header.run?.settings ?? {};
  // Another model's run: its config would only be refused by this model; the resume's refusal names the model.
  if (settings.model !== model) return {};
  const object = (value: unknown) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const config = object(settings.config);
  const datasetOptions = object(settings.datasetOptions);
  return {
    ...(config && { config: { ...config } }),
    ...(typeof settings.dataset === 'string' && { dataset: settings.dataset }),
    ...(datasetOptions && { datasetOptions: { ...datasetOptions } }),
    ...(Number.isInteger(settings.batchSize) && (settings.batchSize as number) >= 1 && { batchSize: settings.batchSize as number }),
  };
}

/**
 * Settles, before any work, whether `nnkit train` may write into `out`: what a killed save or checkpoint left there
 * is removed first (with a note); then a folder holding a saved model, checkpoints or other files is refused unless
 * `--overwrite` (replace the run) or `--resume` (continue the run whose checkpoints are there) says what to do, and
 * the refusal lists what is there. Nothing is created.
 */
export function claimOutFolder(
  out: string,
  flags: { readonly resume: boolean; readonly overwrite: boolean },
  note: (line: string) => void,
): void {
  if (!existsSync(out)) return;
  const checkpoints = join(out, 'checkpoints');
  cleanDeadTemporaries(out, note);
  cleanDeadTemporaries(checkpoints, note);
  removeOrphanWeights(out, note);
  if (flags.overwrite) return;
  const contents = runFolderContents(out);
  if (isEmptyRunFolder(contents)) return;
  const steps = contents.checkpoints
    .map((name) => /step-(\d{9})\.ckpt$/.exec(name)?.[1])
    .filter((step) => step !== undefined)
    .map(Number);
  if (flags.resume) {
    if (contents.checkpoints.length > 0) return;
    throw new UsageError(
      `--resume expects checkpoints in ${checkpoints} to continue from, got none: ${out} holds ${describeRunFolder(contents)}. ` +
        `Pass --overwrite (without --resume) to replace what is there, or choose another --out.`,
    );
  }
  if (contents.checkpoints.length > 0) {
    const others = describeRunFolder({ ...contents, checkpoints: [] });
    throw new UsageError(
      `nnkit train expects --out to be a new or empty folder, got another run's checkpoints in ${checkpoints}` +
        `${steps.length > 0 ? ` (the newest at step ${Math.max(...steps)})` : ''}. ` +
        `Continue that run (--resume), or delete them (--overwrite) and start a new one, or choose another --out.${others ? ` Besides them, ${out} holds ${others}.` : ''}`,
    );
  }
  throw new UsageError(
    `nnkit train expects --out to be a new or empty folder, got ${out} holding ${describeRunFolder(contents)}. ` +
      `Replace it (--overwrite: the saved model and checkpoints are replaced, other files kept), or choose another --out.`,
  );
}

/** Weights files that no model.json names, left by a killed save: removed while no save runs (its lock is free). */
function removeOrphanWeights(out: string, note: (line: string) => void): void {
  let lock: FolderLock;
  try {
    lock = lockFolder(out, { purpose: 'nnkit train (cleaning up)', file: '.nnkit-save.lock', onNote: note });
  } catch (error) {
    if (error instanceof FolderInUseError) return; // a save is running: its weights are not litter
    throw error;
  }
  try {
    removeLitter(out, orphanWeights(out), 'no model.json names (a save was interrupted)', note);
  } finally {
    lock.release();
  }
}

/**
 * Creates `out` (and its missing parents), and returns how to take them away again: a run that fails before it
 * wrote anything leaves no folder behind. Only folders this call created, and only while empty, are removed.
 */
export function createOutFolder(out: string): () => void {
  const created: string[] = []; // deepest first
  for (let dir = out; !existsSync(dir) && dirname(dir) !== dir; dir = dirname(dir)) created.push(dir);
  const checkpoints = join(out, 'checkpoints');
  if (!existsSync(checkpoints)) created.unshift(checkpoints); // train() makes it; if it stays empty, it goes too
  mkdirSync(out, { recursive: true });
  return () => {
    for (const dir of created) {
      try {
        rmdirSync(dir); // fails, and so keeps it, when anything is inside
      } catch {
        // not empty (checkpoints of a run that stopped, which its error names), or never made
      }
    }
  };
}
