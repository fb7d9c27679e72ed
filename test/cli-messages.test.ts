import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TrainableModel } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import lstm from '@nnkit/plugin-lstm';
import rnnLm from '@nnkit/plugin-rnn-lm';
import { saveModel } from '@nnkit/train';
import { describe, expect, it } from 'vitest';
import captioner from '../plugins/captioner/dist/index.js';
import cnnFeatures from '../plugins/cnn-features/dist/index.js';
import seq2seq from '../plugins/seq2seq-attention/dist/index.js';
import { nnkit, tempProject } from './helpers.js';

/** A refusal as the user meets it: exit 2, nnkit's one line on stderr, then the usage line, nothing on stdout. */
function expectUsageError(result: { code: number | null; stdout: string; stderr: string }, message: string | RegExp) {
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(2);
  expect(lines[0]).toMatch(message);
  expect(lines[1]).toMatch(/^usage: nnkit /);
  expect(result.stdout).toBe('');
}

describe('nnkit command lines it cannot take: one line in its own words, exit 2', () => {
  it.each([
    [['train', 'lenet5/lenet5', '--epoch', '3'], "nnkit: Unknown option '--epoch' for nnkit train. Did you mean --epochs?"],
    [['train', 'lenet5/lenet5', '--lerning-rate', '0.1'], 'Did you mean --learning-rate?'],
    [['eval', 'somewhere', '--beem', '2'], 'Did you mean --beam?'],
    [['list', '--jsn'], 'Did you mean --json?'],
    [['list', '--frobnicate'], "Unknown option '--frobnicate' for nnkit list. `nnkit list --help` lists the options it takes."],
    [['lisst'], "got 'lisst'. Did you mean list?"],
  ])('nnkit %j suggests the closest known name', async (args, message) => {
    expectUsageError(await nnkit(args), message);
  });

  it.each([
    [['train', 'lenet5/lenet5', '--epochs', '-1'], /^nnkit: --epochs expects an integer (≥ 1|from 1 to \d+), got '-1'\.$/],
    [['list', '--seed', '-3'], "nnkit: --seed expects an integer from 0 to 2^32-1, got '-3'."],
    [['list', '--seed', '4294967296'], "nnkit: --seed expects an integer from 0 to 2^32-1, got '4294967296'."],
    [['train', 'lenet5/lenet5', '--learning-rate', '-0.5'], "nnkit: --learning-rate expects a positive number, got '-0.5'."],
    [['eval', 'somewhere', '--beam', '-2'], "nnkit: --beam expects an integer from 1 to 64, got '-2'."],
  ])('nnkit %j refuses a negative number itself, never with the parser\'s "ambiguous" text', async (args, message) => {
    const result = await nnkit(args);
    expectUsageError(result, message);
    expect(result.stderr).not.toMatch(/ambiguous|XYZ/);
  });

  it.each([
    [['train', 'lenet5/lenet5', '--epochs'], /^nnkit: --epochs expects a value( \(an integer [^)]+\))?, got none\.$/],
    [
      ['train', 'lenet5/lenet5', '--out', '-o'],
      "nnkit: --out expects a value, got '-o', which reads as an option. If it is the value, write --out=-o.",
    ],
    [['list', '--json=yes'], "nnkit: --json expects no value (it is a switch), got '--json=yes'. Write --json alone."],
    [['eval', 'somewhere', '--dataset='], "nnkit: --dataset expects a registered name, got ''. Leave --dataset out for the default."],
    [['info', ''], 'nnkit: info expects a registered name of 1 to 200 characters, got an empty one. nnkit list shows them.'],
  ])('nnkit %j: a missing or misplaced value, said in one line', async (args, message) => {
    expectUsageError(await nnkit(args), message);
  });

  it('answers a pasted page in place of a name or an option at once, without searching for the closest', async () => {
    expectUsageError(
      await nnkit(['info', 'x'.repeat(300)]),
      'nnkit: info expects a registered name of 1 to 200 characters, got 300 characters. nnkit list shows them.',
    );
    expectUsageError(
      await nnkit(['list', `--${'y'.repeat(100_000)}`]),
      /^nnkit: Unknown option '--y+' for nnkit list\. `nnkit list --help` lists the options it takes\.$/,
    );
  });

  it('states the limit of every option that takes a number in --help', async () => {
    const main = await nnkit(['--help']);
    expect(main.stdout).toMatch(/--seed <n> +random seed, an integer from 0 to 2\^32-1/);
    const evalHelp = await nnkit(['eval', '--help']);
    expect(evalHelp.stdout).toMatch(/--beam <value> .*takes an integer from 1 to 64/);
    expect(evalHelp.stdout).toMatch(/--split <value> .*takes one of test, validation, train/);
  });
});

describe('nnkit.config.json it cannot take: named, with what it holds', () => {
  const configured = (text: string) => tempProject({ files: { 'nnkit.config.json': text } });

  it('accepts a UTF-8 byte order mark (as Windows editors write it)', async () => {
    const cwd = configured('\uFEFF{"discover": false}');
    const result = await nnkit(['list', 'cells'], cwd);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('lstm/lstm');
  });

  it.each([
    ['null', 'expects an object ({ "plugins": [...] }), got null.'],
    ['[1, 2]', 'got an array.'],
    ['"plugins"', 'got "plugins".'],
    ['{"plugins": null}', "expects 'plugins' to be an array of package names, got null."],
    ['{"config": null}', "expects 'config' to be an object of kit settings, got null."],
    ['{"seed": null}', "expects 'seed' to be an integer from 0 to 2^32-1, got null."],
  ])('refuses %s, naming the file and what it holds', async (text, message) => {
    const cwd = configured(text);
    const result = await nnkit(['list'], cwd);
    expectUsageError(result, `nnkit: Config file ${join(cwd, 'nnkit.config.json')} ${message.startsWith('expects') ? message : ''}`);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('got object');
  });

  it("names the file and the line and column when its JSON is broken, never in V8's words", async () => {
    const cwd = configured('{"plugins": [\n  "x",\n  }');
    const result = await nnkit(['list'], cwd);
    expectUsageError(
      result,
      `nnkit: Config file ${join(cwd, 'nnkit.config.json')} expects JSON, got not JSON (an unexpected '}' at line 3, column 3).`,
    );
    expect(result.stderr).not.toMatch(/in JSON at position|Unexpected token/);
  });

  it('refuses a plugin entry that is no plugin (a number) as a mistake in the file: exit 2', async () => {
    const cwd = configured('{"plugins": [5]}');
    expectUsageError(
      await nnkit(['list'], cwd),
      `nnkit: Config file ${join(cwd, 'nnkit.config.json')} expects each entry of 'plugins' to be a package name, [name, options] or a plugin object, got 5 (entry 1).`,
    );
  });

  it('says a nnkit.config.json that is a folder is a folder (no EISDIR)', async () => {
    const cwd = tempProject({ files: { 'nnkit.config.json/keep.txt': '' } });
    expectUsageError(
      await nnkit(['list'], cwd),
      `nnkit: Config file ${join(cwd, 'nnkit.config.json')} expects a file, got a folder. Remove or rename the folder.`,
    );
  });
});

describe('names and values typed that nnkit cannot take (issue 26, round two): exit 2, in its words', () => {
  it.each([
    [['train', 'datasets/mnist'], "nnkit: 'datasets/mnist' is a dataset, not a model: give a model instead, one of captioner/captioner, "],
    [
      ['train', 'seq2seq/translator', '--config', '{"cell":"lenet5/lenet5"}'],
      "nnkit: 'lenet5/lenet5' is a model, not a cell: give a cell instead, one of lstm/lstm, rnn-lm/simple.",
    ],
    [['train', 'lenet5/lenet', '--epochs', '1'], "nnkit: No model named 'lenet5/lenet' is registered. Did you mean 'lenet5/lenet5'?"],
    [
      ['train', 'lenet5/lenet5', '--preset', 'clasic'],
      "nnkit: No preset of 'lenet5/lenet5' named 'clasic' is registered. Did you mean 'classic'?",
    ],
    [
      ['train', 'lenet5/lenet5', '--preset', 'bogus'],
      "Registered: classic, modern. Pick one of those, or leave the preset out for the model's defaults (nnkit info lenet5/lenet5 shows them).",
    ],
    [
      ['train', 'lenet5/lenet5', '--dataset', 'datasets/mnsit'],
      "nnkit: No dataset named 'datasets/mnsit' is registered. Did you mean 'datasets/mnist'",
    ],
    [['recipe', 'recipes/conv-param'], "nnkit: No recipe named 'recipes/conv-param' is registered. Did you mean 'recipes/conv-params'?"],
    [['info', 'bogus/bogus', '--json'], "nnkit: No model, cell, encoder, dataset or recipe named 'bogus/bogus' is registered."],
  ])('nnkit %j: a name that is not registered is a usage error', async (args, message) => {
    const result = await nnkit([...args, '--backend', 'cpu']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toMatch(/\nusage: nnkit /);
  });

  it.each([
    [['train', 'lenet5/lenet5', '--out', ''], "nnkit: --out expects a path, got ''. Leave --out out for the default."],
    [['new', 'plugin', 'x', '--dir='], "nnkit: --dir expects a path, got ''. Leave --dir out for the default."],
    [
      ['train', 'lenet5/lenet5', '--dataset', ''],
      "nnkit: --dataset expects a registered name, got ''. Leave --dataset out for the default.",
    ],
    [['train', 'lenet5/lenet5', '--epochs='], 'nnkit: --epochs expects an integer from 1 to'],
    [['train', 'lenet5/lenet5', '--learning-rate', 'Infinity'], "nnkit: --learning-rate expects a positive number, got 'Infinity'."],
    [['train', 'lenet5/lenet5', '--clip-norm', '1e400'], "nnkit: --clip-norm expects a positive number, got '1e400'."],
    [
      ['train', 'lenet5/lenet5', '--config', '{bad'],
      `nnkit: --config expects a JSON object such as '{"key": 1}', got '{bad': not JSON (a property name or '}' expected at column 2).`,
    ],
    [
      ['train', 'lenet5/lenet5', '--dataset-options', '{"trainLimit": 5,}'],
      'not JSON (a double-quoted property name expected at column 18).',
    ],
    [['list', 'model'], "nnkit: list expects one of models, cells, encoders, datasets, recipes, tasks, got 'model'. Did you mean models?"],
    [
      ['new', 'plugin', `nnkit-plugin-${'x'.repeat(300)}`],
      "nnkit: 'nnkit new plugin' expects an npm package name of at most 214 characters, got 313. Choose a shorter name",
    ],
  ])('nnkit %j: refused before any work', async (args, message) => {
    const cwd = tempProject();
    const result = await nnkit(args, cwd);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/in JSON at position|Unexpected token/);
    expect(readdirSync(cwd)).toEqual([]); // nothing made: no nnkit-out, no plugin folder
  });

  it('takes --config with a UTF-8 byte order mark in front (pasted from a file saved on Windows)', async () => {
    // A value the schema refuses: the refusal names the key, so the JSON (BOM and all) was read.
    const train = await nnkit(['train', 'lenet5/lenet5', '--config', '\uFEFF{"pooling": 3}', '--backend', 'cpu'], tempProject());
    expect(train.code, train.stderr).toBe(2);
    expect(train.stderr).toMatch(/pooling/);
    expect(train.stderr).not.toMatch(/Unexpected token|not JSON/);
  });

  it('refuses NNKIT_BACKEND=bogus as --backend bogus is refused: exit 2, before any work', async () => {
    const result = await nnkit(['list'], undefined, { NNKIT_BACKEND: 'bogus' });
    expectUsageError(
      result,
      "nnkit: NNKIT_BACKEND expects one of auto, tensorflow-gpu, tensorflow, webgpu, wasm, cpu, got 'bogus'. Set it to one of those or unset it.",
    );
  });
});

describe('nnkit sample on a model that is no language model', () => {
  it('names the kind and the command that takes it, exit 2 (a TypeError once)', async () => {
    // Untrained and tiny, made in this process: what is checked is refused before a weight is used.
    const kit = await createKit({
      plugins: [rnnLm(), lstm(), seq2seq(), cnnFeatures(), captioner()],
      backend: 'cpu',
      progress: silentProgress(),
    });
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-sample-kind-'));
    const specials = ['<pad>', '<s>', '</s>', '<unk>'];
    const save = async (name: string, key: string, config: Record<string, unknown>, extra: Parameters<typeof saveModel>[2]) => {
      const instance = await kit.createModel<TrainableModel>(key, { config });
      try {
        await saveModel(join(dir, name), instance, extra);
      } finally {
        instance.model.dispose?.();
      }
      return join(dir, name);
    };
    const captionerDir = await save(
      'captioner',
      'captioner/captioner',
      { vocabularySize: 6, units: 4, embedding: 4 },
      { vocabulary: [...specials, 'a', 'b'] },
    );
    const translatorDir = await save(
      'translator',
      'seq2seq/translator',
      { sourceVocabularySize: 6, targetVocabularySize: 6, units: 4, embedding: 4 },
      {
        vocabularies: {
          source: [...specials, 'a', 'b'],
          target: [...specials, 'c', 'd'],
          sourceSeparator: '',
          targetSeparator: '',
        },
      },
    );
    expectUsageError(
      await nnkit(['sample', captionerDir, '--backend', 'cpu', '--json']),
      'nnkit: sample expects a language model, got captioner/captioner, a captioner: use nnkit caption.',
    );
    expectUsageError(
      await nnkit(['sample', translatorDir, '--backend', 'cpu', '--json']),
      'nnkit: sample expects a language model, got seq2seq/translator, a translator: use nnkit translate.',
    );
  }, 60_000);
});
