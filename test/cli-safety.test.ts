import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nnkit } from './helpers.js';

// Through the CLI as a child process, where a user meets each of these; data tiny on purpose (seconds a run).
const FAST = { NNKIT_BACKEND: 'auto' };
const DATES = ['--preset', 'dates', '--dataset-options', '{"train": 128, "validation": 32, "test": 16}'];
const translator = (out: string, ...flags: string[]) => nnkit(['train', 'seq2seq/translator', ...DATES, '--epochs', '1', '--out', out, ...flags], undefined, FAST);
const tempDir = () => mkdtempSync(join(tmpdir(), 'nnkit-cli-safety-'));

/** The id of a process that has exited. */
const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());

/** Every file under `dir` with its bytes, to show that a refused command changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(join(dir, f)).isFile()).sort();
  return Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));
}

describe('nothing lost: nnkit train never writes into a folder holding a model, checkpoints or other files unasked', () => {
  const root = tempDir();
  const run = join(root, 'run');
  const modelOnly = join(root, 'model-only');

  it('refuses a folder holding only a saved model, listing it and naming --overwrite; --resume too; the files stay as they were', async () => {
    expect((await translator(run, '--json')).code).toBe(0);
    mkdirSync(modelOnly);
    for (const file of readdirSync(run).filter((f) => f === 'model.json' || f.endsWith('.bin'))) copyFileSync(join(run, file), join(modelOnly, file));
    const before = snapshot(modelOnly);
    const weights = readdirSync(modelOnly).find((f) => f.endsWith('.bin'))!;

    const plain = await translator(modelOnly);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain(`nnkit: nnkit train expects --out to be a new or empty folder, got ${modelOnly} holding a saved model (model.json, ${weights}). Replace it (--overwrite`);
    const resume = await translator(modelOnly, '--resume');
    expect(resume.code).toBe(2);
    expect(resume.stderr).toContain(`--resume expects checkpoints in ${join(modelOnly, 'checkpoints')} to continue from, got none: ${modelOnly} holds a saved model (model.json, ${weights}). Pass --overwrite`);
    expect(snapshot(modelOnly)).toEqual(before);

    const replaced = await translator(modelOnly, '--overwrite', '--json');
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(existsSync(join(modelOnly, 'model.json'))).toBe(true);
  });

  it("refuses a folder holding another program's files, listing them", async () => {
    const other = join(root, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    const result = await translator(other);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`got ${other} holding 1 other file(s) (notes.txt).`);
    expect(readdirSync(other)).toEqual(['notes.txt']);
  });

  it('a resume whose checkpoints are all damaged is refused, naming --overwrite; a resume with another --seed shows the seeds given', async () => {
    const seeded = join(root, 'seeded');
    expect((await translator(seeded, '--seed', '99', '--json')).code).toBe(0);
    const other = await nnkit(['train', 'seq2seq/translator', ...DATES, '--epochs', '2', '--out', seeded, '--resume', '--seed', '11'], undefined, FAST);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('seed 11 (the run has 99)');

    const checkpoints = join(seeded, 'checkpoints');
    for (const file of readdirSync(checkpoints)) truncateSync(join(checkpoints, file), 40);
    const damaged = await nnkit(['train', 'seq2seq/translator', ...DATES, '--epochs', '2', '--out', seeded, '--resume', '--seed', '99'], undefined, FAST);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(new RegExp(`nnkit: Resuming the run in ${checkpoints} expects an intact checkpoint, got 1, every one damaged \\(the first: Checkpoint .*\\)\\. Restore them from a copy, or start over: --overwrite without --resume`));
  });
});

describe('divergence is caught the same way on every model: exit 1, no model saved, no folder left', () => {
  const root = tempDir();
  const expectDiverged = (result: { code: number | null; stderr: string }, out: string) => {
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/nnkit: Training expects (a finite (validation )?loss|a validation loss below 10× its best so far|finite gradients)/);
    expect(existsSync(join(out, 'model.json'))).toBe(false);
    expect(existsSync(out)).toBe(false); // nothing was written: the folder it made is gone
  };

  for (const seed of ['7', '1', '2']) {
    it(`LeNet-5 at learning rate 1e6, seed ${seed}`, async () => {
      const out = join(root, `lenet5-${seed}`);
      const result = await nnkit(['train', 'lenet5/lenet5', '--learning-rate', '1e6', '--seed', seed, '--epochs', '1', '--batch-size', '32', '--dataset-options', '{"trainLimit": 100, "validation": 36}', '--out', out], undefined, FAST);
      expectDiverged(result, out);
    });
  }

  it('the translator at learning rate 1e6', async () => {
    const out = join(root, 'translator');
    expectDiverged(await nnkit(['train', 'seq2seq/translator', ...DATES, '--epochs', '2', '--learning-rate', '1e6', '--out', out], undefined, FAST), out);
  });

  it('the captioner at learning rate 1e6', async () => {
    const out = join(root, 'captioner');
    const scenes = ['--config', '{"units": 16, "embedding": 8, "attentionUnits": 8}', '--dataset-options', '{"train": 64, "validation": 16, "test": 16, "seed": 1}'];
    expectDiverged(await nnkit(['train', 'captioner/captioner', ...scenes, '--epochs', '2', '--learning-rate', '1e6', '--out', out], undefined, FAST), out);
  });
});

describe('every path checked before work; a refused command creates nothing', () => {
  const root = tempDir();

  it('nnkit new plugin --dir under /proc, /sys or /dev is refused at once (no endless mkdir), and under a file names the file', async () => {
    for (const dir of ['/proc/x', '/sys/nnkit/x', '/dev/nnkit']) {
      const started = Date.now();
      const result = await nnkit(['new', 'plugin', 'x', '--dir', dir], root);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^nnkit: The plugin's folder \\(--dir\\) ${dir} expects a folder on a disk, got a path under /(proc|sys|dev), a virtual file system`, 'm'));
    }
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    const under = await nnkit(['new', 'plugin', 'x', '--dir', join(file, 'x')], root);
    expect(under.code).toBe(1);
    expect(under.stderr).toContain(`${file} is a file: choose a path whose parents are folders`);
    expect(under.stderr).not.toMatch(/    at /);
  });

  it('nnkit train --out under /sys is refused before loading anything, and a refused train leaves no nnkit-out folder', async () => {
    const sys = await nnkit(['train', 'lenet5/lenet5', '--out', '/sys/nnkit-out'], root);
    expect(sys.code).toBe(1);
    expect(sys.stderr).toContain('nnkit: The output folder (--out) /sys/nnkit-out expects a folder on a disk, got a path under /sys');
    const cwd = tempDir();
    const refused = await nnkit(['train', 'lenet5/lenet5', '--config', '{"bogus": 1}'], cwd);
    expect(refused.code).toBe(2);
    const nested = await nnkit(['train', 'lenet5/lenet5', '--config', '{"bogus": 1}', '--out', join(cwd, 'a', 'b', 'c')], cwd);
    expect(nested.code).toBe(2);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('no litter: what a killed save or lock left is removed by the next run, with a note', () => {
  it('--resume removes dead temporaries, orphan weights and dead lock temporaries from --out and its checkpoints', async () => {
    const out = join(tempDir(), 'run');
    expect((await translator(out, '--json')).code).toBe(0);
    const dead = deadPid();
    const litter = [`.model.json.tmp-${dead}-1-abc`, `.nnkit-lock.${dead}-x1`, 'weights-00000000000000aa.bin', `checkpoints/.step-000000002.ckpt.tmp-${dead}-3-q`];
    for (const file of litter) writeFileSync(join(out, file), 'left by a killed process');
    const result = await nnkit(['train', 'seq2seq/translator', ...DATES, '--epochs', '2', '--out', out, '--resume'], undefined, FAST);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`removed 2 file(s) from ${out} that a killed process left mid-write`);
    expect(result.stderr).toContain(`removed 1 file(s) from ${join(out, 'checkpoints')} that a killed process left mid-write`);
    expect(result.stderr).toContain(`removed 1 file(s) from ${out} that no model.json names (a save was interrupted): weights-00000000000000aa.bin`);
    for (const file of litter) expect(existsSync(join(out, file)), file).toBe(false);
  });
});

describe('the right message for the wrong thing', () => {
  it('"validation": 0 trains without validation, saying so', async () => {
    const out = join(tempDir(), 'no-validation');
    const result = await nnkit(['train', 'seq2seq/translator', '--preset', 'dates', '--dataset-options', '{"train": 64, "validation": 0, "test": 0}', '--epochs', '1', '--out', out, '--json'], undefined, FAST);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('datasets/dates has no validation pairs: training without validation loss or scores');
    expect(JSON.parse(result.stdout).metrics.val_loss).toBeUndefined();
  });

  it('a model.json naming another model names the file and the field; an int32 weight names the weight', async () => {
    const out = join(tempDir(), 'edited');
    expect((await translator(out, '--json')).code).toBe(0);
    const path = join(out, 'model.json');
    const original = readFileSync(path, 'utf8');
    const json = JSON.parse(original);
    writeFileSync(path, JSON.stringify({ ...json, nnkit: { ...json.nnkit, model: 'lenet5/lenet5' } }));
    const other = await nnkit(['eval', out], undefined, FAST);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`nnkit: loadModel expects the field nnkit.model of ${path} to name a model of '${json.nnkit.plugin}' (the plugin that saved it, field nnkit.plugin), got 'lenet5/lenet5'`);
    json.weightsManifest[0].weights[0].dtype = 'int32';
    writeFileSync(path, JSON.stringify(json));
    const dtype = await nnkit(['eval', out], undefined, FAST);
    expect(dtype.code).toBe(1);
    expect(dtype.stderr).toContain(`weight '${json.weightsManifest[0].weights[0].name}' expects dtype float32, got int32.`);
    expect(dtype.stderr).not.toMatch(/    at /);
  });
});
