import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRU_FIXTURE, nnkitJson, nnkitOk, REPO_ROOT, tempProject, tinyParityArgs } from './helpers.js';

const TENSORBOARD_FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'nnkit-plugin-tensorboard');

/** One scalar of an event file: its tag, its step and its value. */
interface Scalar {
  readonly tag: string;
  readonly step: number;
  readonly value: number;
}

/** Reads protobuf fields: [field number, wire type, value] (a varint as a number, a length-delimited field as bytes). */
function* fields(bytes: Buffer): Generator<[number, number, number | Buffer]> {
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const [field, wire] = [Math.floor(key / 8), key & 7];
    if (wire === 0) yield [field, wire, varint()];
    else if (wire === 1) yield [field, wire, bytes.subarray(at, (at += 8))];
    else if (wire === 5) yield [field, wire, bytes.subarray(at, (at += 4))];
    else if (wire === 2) {
      const length = varint();
      yield [field, wire, bytes.subarray(at, (at += length))];
    } else throw new Error(`wire type ${wire} is not in an Event`);
  }
}

/**
 * The scalars of a TensorBoard event file: TFRecord framing (length: uint64 LE, its masked CRC, the record, its
 * masked CRC; the CRCs are not checked here), each record an Event (step = 2, summary = 5) whose Summary holds
 * values (1) of a tag (1) and a simple_value (2, float).
 */
function readScalars(path: string): Scalar[] {
  const file = readFileSync(path);
  const scalars: Scalar[] = [];
  for (let at = 0; at < file.length;) {
    const length = Number(file.readBigUInt64LE(at));
    const record = file.subarray(at + 12, at + 12 + length);
    at += 12 + length + 4;
    let step = 0;
    const values: { tag: string; value: number }[] = [];
    for (const [field, , value] of fields(record)) {
      if (field === 2) step = value as number;
      if (field !== 5) continue;
      for (const [, , entry] of fields(value as Buffer)) {
        let tag = '';
        let scalar = NaN;
        for (const [part, , content] of fields(entry as Buffer)) {
          if (part === 1) tag = (content as Buffer).toString('utf8');
          if (part === 2) scalar = (content as Buffer).readFloatLE(0);
        }
        values.push({ tag, value: scalar });
      }
    }
    for (const { tag, value } of values) scalars.push({ tag, step, value });
  }
  return scalars;
}

/** Every scalar under `dir` (one folder per run; a resumed run adds a file), grouped by tag: the steps, ascending. */
function stepsByTag(dir: string): Map<string, number[]> {
  const byTag = new Map<string, number[]>();
  for (const name of readdirSync(dir)
    .filter((n) => n.startsWith('events.out.tfevents.'))
    .sort()) {
    for (const { tag, step, value } of readScalars(join(dir, name))) {
      expect(Number.isFinite(value), `${tag} at step ${step}`).toBe(true);
      byTag.set(tag, [...(byTag.get(tag) ?? []), step]);
    }
  }
  for (const steps of byTag.values()) steps.sort((a, b) => a - b);
  return byTag;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('a plugin whose ContainerModule binds a run observer: TensorBoard event files for every nnkit train', () => {
  const project = tempProject({
    files: { 'nnkit.config.json': JSON.stringify({ plugins: [['nnkit-plugin-tensorboard', { logdir: 'runs' }]] }) },
    packages: { 'nnkit-plugin-gru': GRU_FIXTURE, 'nnkit-plugin-tensorboard': TENSORBOARD_FIXTURE },
  });
  const out = join(project, 'out');
  const native = { NNKIT_BACKEND: 'tensorflow' };

  it('writes the loss at every step and the validation metrics of every epoch, and a resumed run goes on at its step', async () => {
    expect(await nnkitJson(tinyParityArgs({ epochs: 2, out }), project, native)).toMatchObject({ steps: 16, epochs: 2 });
    const run = join(project, 'runs', 'gru-parity');
    let tags = stepsByTag(run);
    expect(tags.get('loss')).toEqual(range(1, 16));
    expect(tags.get('epoch/loss')).toEqual([1, 2]);
    expect(tags.get('epoch/val_loss')).toEqual([1, 2]);
    expect(tags.get('epoch/val_accuracy')).toEqual([1, 2]);

    await nnkitOk(tinyParityArgs({ epochs: 3, out, flags: ['--resume', '--json'] }), project, native);
    tags = stepsByTag(run);
    expect(tags.get('loss')).toEqual(range(1, 24));
    expect(tags.get('epoch/val_accuracy')).toEqual([1, 2, 3]);
  });

  it('on another backend, says in one line why no event files are written, and trains all the same', async () => {
    const result = await nnkitOk(tinyParityArgs({ epochs: 1, out: join(project, 'out-cpu'), flags: ['--json'] }), project, {
      NNKIT_BACKEND: 'cpu',
    });
    expect(result.stderr).toContain(
      "Run observer nnkit-plugin-tensorboard failed in runStart(): TensorBoard event files expect the native backend (--backend tensorflow), got 'cpu': none are written for gru/parity.",
    );
  });
});
