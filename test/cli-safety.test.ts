import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nnkit, trainArgs } from './helpers.js';

// Through the CLI as a child process, where a user meets each of these; data tiny on purpose (seconds a run).
const FAST = { NNKIT_BACKEND: 'auto' };
const DATES = ['--preset', 'dates', '--dataset-options', '{"train": 128, "validation": 32, "test": 16}'];
const translator = (out: string, ...flags: string[]) =>
  nnkit(['train', 'seq2seq/translator', ...DATES, '--epochs', '1', '--out', out, ...flags], undefined, FAST);
const tempDir = () => mkdtempSync(join(tmpdir(), 'nnkit-cli-safety-'));

/** The id of a process that has exited. */
const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());

/** Every file under `dir` with its bytes, to show that a refused command changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
  return Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));
}

describe('nothing lost: nnkit train never writes into a folder holding a model, checkpoints or other files unasked', () => {
  const root = tempDir();
  const run = join(root, 'run');
  const modelOnly = join(root, 'model-only');

  it('refuses a folder holding only a saved model, listing it and naming --overwrite; --resume too; the files stay as they were', async () => {
    expect((await translator(run, '--json')).code).toBe(0);
    mkdirSync(modelOnly);
    for (const file of readdirSync(run).filter((f) => f === 'model.json' || f.endsWith('.bin')))
      copyFileSync(join(run, file), join(modelOnly, file));
    const before = snapshot(modelOnly);
    const weights = readdirSync(modelOnly).find((f) => f.endsWith('.bin'))!;

    const plain = await translator(modelOnly);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain(
      `nnkit: nnkit train expects --out to be a new or empty folder, got ${modelOnly} holding a saved model (model.json, ${weights}). Replace it (--overwrite`,
    );
    const resume = await translator(modelOnly, '--resume');
    expect(resume.code).toBe(2);
    expect(resume.stderr).toContain(
      `--resume expects checkpoints in ${join(modelOnly, 'checkpoints')} to continue from, got none: ${modelOnly} holds a saved model (model.json, ${weights}). Pass --overwrite`,
    );
    expect(snapshot(modelOnly)).toEqual(before);

    const replaced = await translator(modelOnly, '--overwrite', '--json');
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(existsSync(join(modelOnly, 'model.json'))).toBe(true);
  });

  it('keeps the weights of a saved model whose model.json is damaged or starts with a byte order mark', async () => {
    for (const [name, text] of [
      ['bom', (json: string) => `\uFEFF${json}`],
      ['damaged', (json: string) => json.slice(0, 40)],
    ] as const) {
      const dir = join(root, `model-${name}`);
      mkdirSync(dir);
      for (const file of readdirSync(run).filter((f) => f === 'model.json' || f.endsWith('.bin')))
        copyFileSync(join(run, file), join(dir, file));
      writeFileSync(join(dir, 'model.json'), text(readFileSync(join(run, 'model.json'), 'utf8')));
      const before = snapshot(dir);
      const result = await translator(dir);
      expect(result.code, name).toBe(2);
      expect(result.stderr, name).not.toContain('removed');
      expect(snapshot(dir), name).toEqual(before);
    }
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
    const other = await nnkit(
      ['train', 'seq2seq/translator', ...DATES, '--epochs', '2', '--out', seeded, '--resume', '--seed', '11'],
      undefined,
      FAST,
    );
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('seed 11 (the run has 99)');

    const checkpoints = join(seeded, 'checkpoints');
    for (const file of readdirSync(checkpoints)) truncateSync(join(checkpoints, file), 40);
    const damaged = await nnkit(
      ['train', 'seq2seq/translator', ...DATES, '--epochs', '2', '--out', seeded, '--resume', '--seed', '99'],
      undefined,
      FAST,
    );
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(
      new RegExp(
        `nnkit: Resuming the run in ${checkpoints} expects an intact checkpoint, got 1, every one damaged \\(the first: Checkpoint .*\\)\\. Restore them from a copy, or start over: --overwrite without --resume`,
      ),
    );
  });
});

describe('divergence is caught the same way on every model: exit 1, no model saved, no folder left', () => {
  const root = tempDir();
  const expectDiverged = (result: { code: number | null; stderr: string }, out: string) => {
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      /nnkit: Training expects (a finite (validation )?loss|a validation loss below 10× its best so far|finite gradients)/,
    );
    expect(existsSync(join(out, 'model.json'))).toBe(false);
    expect(existsSync(out)).toBe(false); // nothing was written: the folder it made is gone
  };

  for (const seed of ['7', '1', '2']) {
    it(`LeNet-5 at learning rate 1e6, seed ${seed}`, async () => {
      const out = join(root, `lenet5-${seed}`);
      const flags = ['--learning-rate', '1e6', '--seed', seed, '--batch-size', '32'];
      const settings = { datasetOptions: '{"trainLimit": 100, "validation": 36}', epochs: 1, out, flags };
      const result = await nnkit(trainArgs('lenet5/lenet5', settings), undefined, FAST);
      expectDiverged(result, out);
    });
  }

  it('the translator at learning rate 1e6', async () => {
    const out = join(root, 'translator');
    expectDiverged(
      await nnkit(['train', 'seq2seq/translator', ...DATES, '--epochs', '2', '--learning-rate', '1e6', '--out', out], undefined, FAST),
      out,
    );
  });

  it('the captioner at learning rate 1e6', async () => {
    const out = join(root, 'captioner');
    const scenes = [
      '--config',
      '{"units": 16, "embedding": 8, "attentionUnits": 8}',
      '--dataset-options',
      '{"train": 64, "validation": 16, "test": 16, "seed": 1}',
    ];
    expectDiverged(
      await nnkit(['train', 'captioner/captioner', ...scenes, '--epochs', '2', '--learning-rate', '1e6', '--out', out], undefined, FAST),
      out,
    );
  });
});

describe('every path checked before work; a refused command creates nothing', () => {
  const root = tempDir();

  it('nnkit new plugin --dir under /proc, /sys or /dev is refused at once (no endless mkdir), and under a file names the file', async () => {
    for (const dir of ['/proc/x', '/sys/nnkit/x', '/dev/nnkit']) {
      const result = await nnkit(['new', 'plugin', 'x', '--dir', dir], root);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `^nnkit: The plugin's folder \\(--dir\\) ${dir} expects a folder on a disk, got a path under /(proc|sys|dev), a virtual file system`,
          'm',
        ),
      );
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
    const litter = [
      `.model.json.tmp-${dead}-1-abc`,
      `.nnkit-lock.${dead}-x1`,
      'weights-00000000000000aa.bin',
      `checkpoints/.step-000000002.ckpt.tmp-${dead}-3-q`,
    ];
    for (const file of litter) writeFileSync(join(out, file), 'left by a killed process');
    const result = await nnkit(['train', 'seq2seq/translator', ...DATES, '--epochs', '2', '--out', out, '--resume'], undefined, FAST);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`removed 2 file(s) from ${out} that a killed process left mid-write`);
    expect(result.stderr).toContain(`removed 1 file(s) from ${join(out, 'checkpoints')} that a killed process left mid-write`);
    expect(result.stderr).toContain(
      `removed 1 file(s) from ${out} that no model.json names (a save was interrupted): weights-00000000000000aa.bin`,
    );
    for (const file of litter) expect(existsSync(join(out, file)), file).toBe(false);
  });
});

describe('the right message for the wrong thing', () => {
  it('"validation": 0 trains without validation, saying so', async () => {
    const out = join(tempDir(), 'no-validation');
    const settings = { preset: 'dates', datasetOptions: '{"train": 64, "validation": 0, "test": 0}', epochs: 1, out, flags: ['--json'] };
    const result = await nnkit(trainArgs('seq2seq/translator', settings), undefined, FAST);
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
    expect(other.stderr).toContain(
      `nnkit: loadModel expects the field nnkit.model of ${path} to name a model of '${json.nnkit.plugin}' (the plugin that saved it, field nnkit.plugin), got 'lenet5/lenet5'`,
    );
    json.weightsManifest[0].weights[0].dtype = 'int32';
    writeFileSync(path, JSON.stringify(json));
    const dtype = await nnkit(['eval', out], undefined, FAST);
    expect(dtype.code).toBe(1);
    expect(dtype.stderr).toContain(`weight '${json.weightsManifest[0].weights[0].name}' expects dtype float32, got int32.`);
    expect(dtype.stderr).not.toMatch(/    at /);
  });
});

describe('round two: limits, paths and settings refused before work, in nnkit words', () => {
  it('--epochs has a maximum, shown in --help (a huge --batch-size is cut to the data, said there); a huge --epochs is refused at once (exit 2), creating nothing', async () => {
    const cwd = tempDir();
    const epochs = await nnkit(['train', 'lenet5/lenet5', '--epochs', '1e12'], cwd);
    expect(epochs.code).toBe(2);
    expect(epochs.stderr).toContain("nnkit: --epochs expects an integer from 1 to 10000, got '1e12'.");
    const help = await nnkit(['train', '--help'], cwd);
    expect(help.stdout).toMatch(/--epochs .*an integer from 1 to 10000/);
    expect(help.stdout).toMatch(/--batch-size .*more than the data's examples is cut to them/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('visualize and recipe check --out before any work: a file, under a file, /proc or /sys are refused at once, without a stack', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'file.txt'), 'mine');
    const cases: [string[], RegExp][] = [
      [['visualize', 'no-model', '--out', 'file.txt'], /The output folder \(--out\) .*file\.txt expects a folder, got a file/],
      [['visualize', 'no-model', '--out', 'file.txt/sub'], /file\.txt is a file: choose a path whose parents are folders/],
      [['visualize', 'no-model', '--out', '/proc/nnkit-x'], /\/proc\/nnkit-x expects a folder on a disk, got a path under \/proc/],
      [
        ['recipe', 'recipes/conv-params', '--quick', '--out', 'file.txt'],
        /The output folder \(--out\) .*file\.txt expects a folder, got a file/,
      ],
      [
        ['recipe', 'recipes/conv-params', '--quick', '--out', '/proc/nnkit-x'],
        /\/proc\/nnkit-x expects a folder on a disk, got a path under \/proc/,
      ],
      [
        ['recipe', 'recipes/conv-params', '--quick', '--out', '/sys/nnkit-x'],
        /\/sys\/nnkit-x expects a folder on a disk, got a path under \/sys/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await nnkit(args, cwd);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/unexpected error|    at |EEXIST|ENOTDIR:|EPERM/);
    }
    expect(readdirSync(cwd)).toEqual(['file.txt']);
  });

  it("a vocabulary smaller than the corpus's, or images of another shape, are refused before training (exit 2), naming both", async () => {
    const cwd = tempDir();
    const lm = await nnkit(
      trainArgs('rnn-lm/lm', { config: '{"vocabularySize": 5}', datasetOptions: '{"level": "char", "trainTokens": 2000}', epochs: 1 }),
      cwd,
      FAST,
    );
    expect(lm.code).toBe(2);
    expect(lm.stderr).toMatch(
      /nnkit: Config for model 'rnn-lm\/lm' expects vocabularySize ≥ (\d+) to fit datasets\/\S+, got vocabularySize 5 \(datasets\/\S+ has \1 symbols in its vocabulary\)\. Leave vocabularySize out of --config/,
    );
    const pairs = await nnkit(
      ['train', 'seq2seq/translator', ...DATES, '--config', '{"targetVocabularySize": 5}', '--epochs', '1'],
      cwd,
      FAST,
    );
    expect(pairs.code).toBe(2);
    expect(pairs.stderr).toMatch(/expects targetVocabularySize ≥ \d+ to fit datasets\/dates, got targetVocabularySize 5/);
    const captions = await nnkit(
      trainArgs('captioner/captioner', {
        config: '{"imageHeight": 28}',
        datasetOptions: '{"train": 16, "validation": 8, "test": 8}',
        epochs: 1,
      }),
      cwd,
      FAST,
    );
    expect(captions.code).toBe(2);
    expect(captions.stderr).toMatch(
      /expects imageHeight 56 to fit datasets\/digit-scenes, got imageHeight 28 \(datasets\/digit-scenes has 56 rows in its images\)/,
    );
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("a size past a built-in model's limit is a config error naming the limit, not a typed-array failure in the plugin", async () => {
    const result = await nnkit(
      ['train', 'seq2seq/translator', ...DATES, '--config', '{"units": 1000000000}', '--epochs', '1'],
      tempDir(),
      FAST,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "nnkit: Config key 'units' of model 'seq2seq/translator' expects an integer ≥ 1 and ≤ 8192, got 1000000000.",
    );
    expect(result.stderr).not.toMatch(/typed array/);
  });

  it('--resume takes the settings the run started with where the command line leaves them out; one given and different is refused', async () => {
    const out = join(tempDir(), 'run');
    expect((await translator(out, '--batch-size', '32', '--json')).code).toBe(0);
    const bare = await nnkit(['train', 'seq2seq/translator', '--resume', '--out', out, '--epochs', '2', '--json'], undefined, FAST);
    expect(bare.code, bare.stderr).toBe(0);
    expect(JSON.parse(bare.stdout)).toMatchObject({ resumedFrom: expect.any(Number), epochs: 2 });
    const other = await nnkit(
      ['train', 'seq2seq/translator', '--resume', '--out', out, '--epochs', '3', '--dataset-options', '{"train": 100}'],
      undefined,
      FAST,
    );
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('datasetOptions.train 100 (the run has 128)');
    // Another model's run lends it nothing (its config would be refused as unknown keys): the refusal names the model.
    const lenet = { datasetOptions: '{"trainLimit": 100, "testLimit": 20, "validation": 20}', epochs: 3, out, flags: ['--resume'] };
    const model = await nnkit(trainArgs('lenet5/lenet5', lenet), undefined, FAST);
    expect(model.code).toBe(2);
    expect(model.stderr).toContain('model "lenet5/lenet5" (the run has "seq2seq/translator")');
  });

  it('a model.json that is null, an empty object, has a BOM or an edited shape is said in words', async () => {
    const out = join(tempDir(), 'model');
    expect((await translator(out, '--json')).code).toBe(0);
    const path = join(out, 'model.json');
    const original = readFileSync(path, 'utf8');
    for (const [text, got] of [
      ['null', 'got null.'],
      ['{}', 'got an empty object.'],
    ] as const) {
      writeFileSync(path, text);
      const result = await nnkit(['eval', out], undefined, FAST);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`to be an nnkit model (an object with format 'nnkit-model' and its metadata under 'nnkit'), ${got}`);
    }
    writeFileSync(path, `\ufeff${original}`);
    expect((await nnkit(['eval', out], undefined, FAST)).code).toBe(0);
    const json = JSON.parse(original);
    const weight = json.weightsManifest[0].weights[0];
    writeFileSync(
      path,
      JSON.stringify({
        ...json,
        weightsManifest: [
          {
            ...json.weightsManifest[0],
            weights: [{ ...weight, shape: [3, 3] }, ...json.weightsManifest[0].weights.slice(1)],
          },
        ],
      }),
    );
    const shape = await nnkit(['eval', out], undefined, FAST);
    expect(shape.code).toBe(1);
    expect(shape.stderr).toContain(
      `loadModel expects weight '${weight.name}' of ${path} to have the model's shape [${weight.shape.join(', ')}], got [3, 3]`,
    );
  });
});
