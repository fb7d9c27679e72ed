import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanDeadTemporaries, deadTemporaries, orphanWeights } from './litter.js';

/** The id of a process that has exited: a child run to completion. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

describe('litter', () => {
  it("removes the temporaries of a dead writer with a note, and keeps a live one's", () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-litter-'));
    const dead = deadPid();
    const live = process.ppid;
    const left = [
      `.model.json.tmp-${dead}-1-abc`,
      `.weights-0123456789abcdef.bin.tmp-${dead}-2-x`,
      `.nnkit-lock.${dead}-k3j`,
      `.nnkit-write-probe-${dead}`,
      `.step-000000004.ckpt.tmp-${dead}-9-q`,
    ];
    const kept = [`.model.json.tmp-${live}-1-abc`, `.nnkit-lock.${live}-zz`, 'model.json.tmp-notes', '.nnkit-lock'];
    for (const name of [...left, ...kept]) writeFileSync(join(dir, name), '');
    expect(deadTemporaries(dir).sort()).toEqual([...left].sort());
    const notes: string[] = [];
    cleanDeadTemporaries(dir, (line) => notes.push(line));
    expect(readdirSync(dir).sort()).toEqual([...kept].sort());
    expect(notes).toEqual([expect.stringMatching(new RegExp(`^removed 5 file\\(s\\) from ${dir} that a killed process left mid-write: `))]);
    cleanDeadTemporaries(dir, (line) => notes.push(line));
    expect(notes).toHaveLength(1); // nothing left to say
  });

  it('finds weights files that a readable model.json does not name, and none where model.json is missing or damaged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-litter-'));
    writeFileSync(join(dir, 'weights-00000000000000aa.bin'), '');
    writeFileSync(join(dir, 'weights-00000000000000bb.bin'), '');
    expect(orphanWeights(dir)).toEqual([]); // no model.json: these may be the only copy of a model
    writeFileSync(join(dir, 'model.json'), '{"weightsManifest": [{"paths": ["weights-00000');
    expect(orphanWeights(dir)).toEqual([]); // damaged: nothing can be told to be litter
    writeFileSync(join(dir, 'model.json'), `\uFEFF${JSON.stringify({ weightsManifest: [{ paths: ['weights-00000000000000aa.bin'] }] })}`);
    expect(orphanWeights(dir)).toEqual(['weights-00000000000000bb.bin']); // a byte order mark reads, as loadModel reads it
    expect(orphanWeights(join(dir, 'nope'))).toEqual([]);
    expect(existsSync(join(dir, 'nope'))).toBe(false);
  });
});
