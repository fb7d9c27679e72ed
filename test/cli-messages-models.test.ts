import { existsSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TrainableModel } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import lenet5 from '@nnkit/plugin-lenet5';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { saveModel } from '@nnkit/train';
import { encodePng } from '@nnkit/viz';
import { beforeAll, describe, expect, it } from 'vitest';
import cnnFeatures from '../plugins/cnn-features/dist/index.js';
import seq2seq from '../plugins/seq2seq-attention/dist/index.js';
import { REPO_ROOT, nnkit, tempProject, trainArgs } from './helpers.js';

/**
 * Saved models of each kind, made untrained in this process (training them through the CLI would cost a minute):
 * what these tests check is refused before a single weight is used.
 */
const dir = mkdtempSync(join(tmpdir(), 'nnkit-cli-messages-'));
const models = {
  lenet: join(dir, 'lenet5'),
  lm: join(dir, 'lm'),
  translator: join(dir, 'dates'),
  cnn32: join(dir, 'cnn32'),
};
/** A dates-style source vocabulary: specials, then a space and digits (CMUdict's letters differ from id 4 on). */
const SOURCE = ['<pad>', '<s>', '</s>', '<unk>', ' ', ...'0123456789'];
const TARGET = ['<pad>', '<s>', '</s>', '<unk>', '-', ...'0123456789'];

beforeAll(async () => {
  const kit = await createKit({
    plugins: [lenet5(), rnnLm(), lstm(), seq2seq(), cnnFeatures()],
    backend: 'cpu',
    progress: silentProgress(),
  });
  const save = async (path: string, key: string, config: Record<string, unknown>, extra: Parameters<typeof saveModel>[2]) => {
    const instance = await kit.createModel<TrainableModel>(key, { config });
    try {
      await saveModel(path, instance, extra);
    } finally {
      instance.model.dispose?.();
    }
  };
  await save(
    models.lenet,
    'lenet5/lenet5',
    {},
    { dataset: { key: 'datasets/mnist', options: { trainLimit: 64, validation: 0, testLimit: 8 } } },
  );
  await save(
    models.lm,
    'lstm/lm',
    { vocabularySize: 4, units: 4 },
    { dataset: { key: 'datasets/moby-dick', options: { level: 'char' } }, vocabulary: ['a', 'b', 'c', 'd'] },
  );
  await save(
    models.translator,
    'seq2seq/translator',
    { sourceVocabularySize: SOURCE.length, targetVocabularySize: TARGET.length, units: 4, embedding: 4 },
    {
      dataset: { key: 'datasets/dates', options: { train: 16, validation: 8, test: 8 } },
      vocabularies: { source: SOURCE, target: TARGET, sourceSeparator: '', targetSeparator: '' },
    },
  );
  await save(models.cnn32, 'cnn-features/cnn', { height: 32, width: 32, widths: [2], hidden: 0 }, { dataset: { key: 'datasets/mnist' } });
}, 60_000);

function expectRefusal(result: { code: number | null; stdout: string; stderr: string }, code: number, message: RegExp) {
  expect(result.code, result.stderr).toBe(code);
  const lines = result.stderr
    .trimEnd()
    .split('\n')
    .filter((line) => !line.startsWith('backend:'));
  expect(lines[0]).toMatch(message);
  expect(lines.length, result.stderr).toBe(code === 2 ? 2 : 1); // the message, and for a usage error the usage line
  expect(result.stdout).toBe('');
}

describe('nnkit eval: the right message for the wrong thing', () => {
  it('refuses --beam for a classifier and for a language model (exit 2): neither decodes a sequence', async () => {
    expectRefusal(
      await nnkit(['eval', models.lenet, '--beam', '2']),
      2,
      /^nnkit: --beam expects a model that decodes sequences \(a translator or a captioner\), got lenet5\/lenet5, a classifier.* Leave --beam out\.$/,
    );
    expectRefusal(
      await nnkit(['eval', models.lm, '--beam', '3']),
      2,
      /^nnkit: --beam expects a model that decodes sequences .*, got lstm\/lm, a language model/,
    );
  });

  it('refuses a dataset whose vocabulary does not match the saved one before evaluating (a dates model on CMUdict)', async () => {
    const result = await nnkit(['eval', models.translator, '--dataset', 'datasets/cmudict']);
    expectRefusal(
      result,
      2,
      /^nnkit: eval expects a dataset whose source vocabulary matches the model's \(15 symbols, saved in .*\), got 'datasets\/cmudict' with \d+ symbols: id 4 is "'" in the data, " " in the model\. Evaluate it on the dataset it was trained on \(datasets\/dates\)/,
    );
  });

  it('names the kind of data a model takes and the kind a dataset gives', async () => {
    expectRefusal(
      await nnkit(['eval', models.translator, '--dataset', 'datasets/mnist']),
      2,
      /^nnkit: seq2seq\/translator expects a dataset of sequence pairs .*, got 'datasets\/mnist', which holds examples .*: cnn-features\/cnn, lenet5\/lenet5 train on it/,
    );
  }, 60_000);

  it('refuses a split that is not one, and one the dataset lacks, naming the ones there are', async () => {
    expectRefusal(
      await nnkit(['eval', models.lenet, '--split', 'dev']),
      2,
      /^nnkit: --split expects one of test, validation, train, got 'dev'\.$/,
    );
    expectRefusal(
      await nnkit(['eval', models.lenet, '--split', 'validation']),
      2,
      /^nnkit: Dataset 'datasets\/mnist' expects a split among train, test, got 'validation'\.$/,
    );
  });

  it('stops at NaN inputs with a DataError naming the tensor (exit 1), not a plausible loss', async () => {
    // A plugin whose dataset is MNIST-shaped and all NaN; it imports the tfjs the CLI runs on.
    const plugin = tempProject({
      files: {
        'package.json': JSON.stringify({
          name: 'nnkit-plugin-nan',
          version: '1.0.0',
          type: 'module',
          keywords: ['nnkit-plugin'],
          exports: './index.js',
        }),
        'index.js': `import * as tf from '@tensorflow/tfjs';
export default () => ({
  meta: { name: 'nnkit-plugin-nan', version: '1.0.0', namespace: 'nan', nnkit: '^2.0.0' },
  datasets: [{ name: 'digits', description: 'MNIST-shaped and all NaN', async load() {
    const split = () => ({ xs: tf.fill([4, 28, 28, 1], NaN), ys: tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 10).toFloat() });
    const train = split(), test = split();
    return { train, test, dispose: () => tf.dispose([train.xs, train.ys, test.xs, test.ys]) };
  } }],
});
`,
      },
    });
    mkdirSync(join(plugin, 'node_modules', '@tensorflow'), { recursive: true });
    symlinkSync(
      realpathSync(join(REPO_ROOT, 'test', 'node_modules', '@tensorflow', 'tfjs')),
      join(plugin, 'node_modules', '@tensorflow', 'tfjs'),
      'dir',
    );
    const project = tempProject({ packages: { 'nnkit-plugin-nan': plugin } });
    const result = await nnkit(['eval', models.lenet, '--dataset', 'nan/digits'], project);
    expectRefusal(result, 1, /^nnkit: .*got NaN or ±Infinity in the batch's '(inputs|xs)'/);
  });
});

describe('nnkit visualize and predict on a model of another kind', () => {
  it.each([
    ['a language model', 'lm', 'lstm/lm'],
    ['a translator', 'translator', 'seq2seq/translator'],
  ] as const)('refuses %s: it has no convolutional layers, and says which models it works for', async (_, which, key) => {
    const result = await nnkit(['visualize', models[which], '--out', join(dir, 'pictures')]);
    expectRefusal(
      result,
      2,
      new RegExp(
        `^nnkit: ${key.replace('/', '\\/')} has no convolutional layers: visualize works for CNNs whose plugin offers their layers as image encoders \\(cnn-features\\/cnn, lenet5\\/lenet5\\)\\.$`,
      ),
    );
  });

  it('names the command for a model predict cannot use', async () => {
    const png = join(dir, 'blank.png');
    writeFileSync(png, encodePng({ width: 28, height: 28, pixels: new Uint8Array(28 * 28 * 3) }));
    expectRefusal(
      await nnkit(['predict', models.lm, png]),
      2,
      /^nnkit: predict expects a saved digit classifier \(such as lenet5\/lenet5\), got lstm\/lm, a language model: use nnkit sample\.$/,
    );
    expectRefusal(await nnkit(['predict', models.translator, png]), 2, /got seq2seq\/translator, a translator: use nnkit translate\.$/);
  });

  it('reads the image shape from the saved model: a 32×32 CNN classifies 32×32 pictures and names the size it expects', async () => {
    const png = join(dir, 'digit.png');
    writeFileSync(png, encodePng({ width: 28, height: 28, pixels: new Uint8Array(28 * 28 * 3).fill(255) }));
    const result = await nnkit(['predict', models.cnn32, png]);
    expectRefusal(
      result,
      1,
      /^nnkit: cnn-features\/cnn in .* expects a 32×32 picture \(width × height\), got 28×28 in .*digit\.png\. Resize or pad it to 32×32\.$/,
    );
    const wide = join(dir, 'wide.png');
    writeFileSync(wide, encodePng({ width: 32, height: 32, pixels: new Uint8Array(32 * 32 * 3).fill(255) }));
    const cnn = await nnkit(['predict', models.cnn32, wide, '--json']);
    expect(cnn.code, cnn.stderr).toBe(0);
    expect(JSON.parse(cnn.stdout)[0]).toMatchObject({ file: wide, top3: expect.any(Array) });
    const lenet = await nnkit(['predict', models.lenet, png, '--json']);
    expect(lenet.code, lenet.stderr).toBe(0);
    expect(JSON.parse(lenet.stdout)[0]).toMatchObject({ file: png });
  });
});

describe('nnkit train on a dataset of another kind', () => {
  it('names the kind the model takes and the kind the dataset gives, instead of asking for a vocabulary size', async () => {
    const out = join(dir, 'never-written');
    const translator = await nnkit(
      trainArgs('seq2seq/translator', { dataset: 'datasets/mnist', datasetOptions: '{"trainLimit":64,"testLimit":8}', out }),
    );
    expectRefusal(translator, 2, /^nnkit: seq2seq\/translator expects a dataset of sequence pairs.*got 'datasets\/mnist'/);
    const captioner = await nnkit(
      trainArgs('captioner/captioner', { dataset: 'datasets/dates', datasetOptions: '{"train":16,"validation":8,"test":8}', out }),
    );
    expectRefusal(captioner, 2, /^nnkit: captioner\/captioner expects a dataset of captioned images.*got 'datasets\/dates'/);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
