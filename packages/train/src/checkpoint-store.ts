import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { DataError, type FileStorage } from '@nnkit/core';
import { fileSystemStorage } from '@nnkit/kit';
import { lockFolder, type FolderLock } from './folder-lock.js';
import { cleanDeadTemporaries } from './litter.js';
import { checkWritableFolder } from './storage.js';
import { byteLength, checkSpecs, firstNonFinite } from './weights-codec.js';

const MAGIC = 'NNKIT-CHECKPOINT-1\n';
const PATTERN = /^step-(\d{9})\.ckpt$/;

/** Where and how `train` writes checkpoints. */
export interface CheckpointOptions {
  /** The folder for `step-*.ckpt` and `best.ckpt`. */
  readonly dir: string;
  /** Where that folder is (default: the file system): give `kit.storage`, so that an app's swap reaches checkpoints. */
  readonly storage?: FileStorage;
  /** Write one every this many steps (default: at the end of every epoch). */
  readonly everySteps?: number;
  /** Keep the last this many (default 3), plus the best. */
  readonly keep?: number;
  /** The metric that decides the best (default `val_loss` when there is validation data, else `loss`); lower is better. */
  readonly monitor?: string;
  /**
   * What defines the run beyond what `train` sees itself (the model and its config, the dataset and its options):
   * recorded in every checkpoint, and a resume with other values is refused, listing each difference. A `seed` here
   * is shown instead of the one `train` uses (a caller that derives that one from a seed its user gave shows the
   * user's).
   */
  readonly settings?: Readonly<Record<string, unknown>>;
  /**
   * A new run (not `resume`) into a folder that holds another run's checkpoints deletes them first, rather than
   * being refused (default false).
   */
  readonly overwrite?: boolean;
}

/** The run a checkpoint belongs to: an id drawn when it started, and the settings it was started with. */
export interface CheckpointRun {
  readonly id: string;
  readonly settings: Readonly<Record<string, unknown>>;
}

/** Where training stands: enough to continue exactly where it was. */
export interface TrainingPosition {
  /** Optimizer steps done. */
  readonly step: number;
  /** The epoch in progress and the batches of it already done. */
  readonly epoch: number;
  readonly batchInEpoch: number;
  readonly seed: number;
}

export interface CheckpointHeader extends TrainingPosition {
  /** Model variables then optimizer variables, in tfjs's manifest format. */
  readonly modelSpecs: tf.io.WeightsManifestEntry[];
  readonly optimizerSpecs: tf.io.WeightsManifestEntry[];
  /** Metrics and history so far, for `keep best` and for the resumed run's report. */
  readonly state: Readonly<Record<string, unknown>>;
  /** sha256 of the weight bytes, to tell a corrupt file from a good one. */
  readonly sha256: string;
  /** Absent in checkpoints written before nnkit recorded it. */
  readonly run?: CheckpointRun;
}

export interface Checkpoint {
  readonly path: string;
  readonly header: CheckpointHeader;
  /** Model weights then optimizer weights, as one buffer. */
  readonly data: Uint8Array;
}

/** The file layout: magic line, header length (4 bytes, little-endian), header JSON, weight bytes. */
function encode(header: Omit<CheckpointHeader, 'sha256'>, data: Uint8Array): Uint8Array[] {
  const json = Buffer.from(JSON.stringify({ ...header, sha256: createHash('sha256').update(data).digest('hex') }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  return [Buffer.from(MAGIC), length, json, data];
}

/** Reads and verifies a checkpoint; anything truncated or altered is refused with a DataError that says what. */
export function readCheckpoint(path: string, storage: FileStorage = fileSystemStorage()): Checkpoint {
  const read = storage.read(path);
  const bytes = Buffer.isBuffer(read) ? read : Buffer.from(read.buffer, read.byteOffset, read.byteLength);
  const refuse = (what: string) =>
    new DataError(
      `Checkpoint ${path} expects ${what}. It is damaged (an interrupted copy or a disk error?): delete it or resume from another.`,
    );
  if (bytes.length < MAGIC.length + 4 || bytes.subarray(0, MAGIC.length).toString() !== MAGIC)
    throw refuse(`to start with '${MAGIC.trim()}', got other bytes`);
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > bytes.length) throw refuse(`a header of ${headerLength} bytes, got a file of ${bytes.length} bytes (truncated)`);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length + 4, headerEnd).toString()) as CheckpointHeader;
  } catch {
    throw refuse('a JSON header, got unreadable text');
  }
  if (typeof header !== 'object' || header === null || !Number.isInteger(header.step) || typeof header.sha256 !== 'string')
    throw refuse('a header with its step and sha256, got other JSON');
  checkSpecs(header.modelSpecs, `Checkpoint ${path}`);
  checkSpecs(header.optimizerSpecs, `Checkpoint ${path}`);
  const data = bytes.subarray(headerEnd);
  const expectedBytes = byteLength([...header.modelSpecs, ...header.optimizerSpecs]);
  if (data.length !== expectedBytes) throw refuse(`${expectedBytes} bytes of weights, got ${data.length} (truncated)`);
  const sha256 = createHash('sha256').update(data).digest('hex');
  if (sha256 !== header.sha256) throw refuse(`weights with sha256 ${header.sha256.slice(0, 12)}…, got ${sha256.slice(0, 12)}… (corrupt)`);
  const bad = firstNonFinite(data, [...header.modelSpecs, ...header.optimizerSpecs]);
  if (bad) throw refuse(`finite weights, got ${bad.value} in '${bad.name}' (element ${bad.index})`);
  return { path, header, data };
}

/**
 * A folder of checkpoints `step-000000123.ckpt`, each written atomically, the last `keep` kept, plus `best.ckpt`
 * for the best value of the monitored metric.
 */
export class CheckpointStore {
  constructor(
    readonly dir: string,
    readonly keep = 3,
    readonly storage: FileStorage = fileSystemStorage(),
  ) {}

  /**
   * Makes the folder this run's alone before any step, where it is on disk: writable with `room` bytes free, locked
   * (released by the caller), and rid of the temporaries a killed checkpoint write left. Elsewhere (in memory) there is
   * nothing to claim.
   */
  claim(options: { readonly room: number; readonly purpose: string; readonly onNote: (line: string) => void }): FolderLock | undefined {
    if (!this.storage.local) return undefined;
    checkWritableFolder(this.dir, { role: 'The checkpoint folder', room: options.room });
    const lock = lockFolder(this.dir, { purpose: options.purpose, onNote: options.onNote });
    cleanDeadTemporaries(this.dir, options.onNote); // a checkpoint write that was killed
    return lock;
  }

  pathFor(step: number): string {
    return join(this.dir, `step-${String(step).padStart(9, '0')}.ckpt`);
  }

  get bestPath(): string {
    return join(this.dir, 'best.ckpt');
  }

  /** Steps of the checkpoints present, newest first. */
  steps(): number[] {
    return this.storage
      .list(this.dir)
      .map((name) => PATTERN.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => b - a);
  }

  write(header: Omit<CheckpointHeader, 'sha256'>, data: Uint8Array, options: { best?: boolean } = {}): string {
    const chunks = encode(header, data);
    const path = this.pathFor(header.step);
    this.storage.write(path, chunks);
    if (options.best) this.storage.write(this.bestPath, chunks);
    for (const old of this.steps().slice(this.keep)) this.remove(this.pathFor(old));
    return path;
  }

  /** Whether any checkpoint is here. */
  isEmpty(): boolean {
    return this.steps().length === 0 && !this.storage.exists(this.bestPath);
  }

  /** Deletes every checkpoint here (for a new run that replaces the one they belong to). */
  clear(): void {
    for (const step of this.steps()) this.remove(this.pathFor(step));
    this.remove(this.bestPath);
  }

  private remove(path: string): void {
    this.storage.remove(path);
  }

  /**
   * The newest checkpoint that reads back intact. A damaged one is skipped, and `onDamaged` hears why, so that
   * one interrupted or corrupted file never costs more than the steps since the previous one.
   */
  latest(onDamaged: (error: DataError) => void = () => {}): Checkpoint | undefined {
    for (const step of this.steps()) {
      try {
        return readCheckpoint(this.pathFor(step), this.storage);
      } catch (error) {
        if (!(error instanceof DataError)) throw error;
        onDamaged(error);
      }
    }
    return undefined;
  }
}
