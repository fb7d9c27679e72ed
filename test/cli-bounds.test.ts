import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePng } from '@nnkit/viz';
import { beforeAll, describe, expect, it } from 'vitest';
import { outputLimit } from '../packages/cli/src/commands/translate.js';
import { nnkit, type RunResult } from './helpers.js';

// Bounded work: every input of the commands that generate text has a limit stated in --help, and above it the command
// refuses with exit 2 before any work; decoding always stops at a maximum length, and says so when it cut the output.
// The models are trained for seconds: only the paths through the CLI matter here, not what the models learned.

const FAST = { NNKIT_BACKEND: 'auto' };
const root = mkdtempSync(join(tmpdir(), 'nnkit-cli-bounds-'));
/** A folder that holds no model: a command that refuses before any work never finds out. */
const nowhere = join(root, 'no-model-here');

/** One line on stderr naming the problem (after the backend line), no stack trace. */
function expectOneLine(result: RunResult, code: number, message: string | RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
}

describe('inputs above their limits are refused with exit 2 before any work', () => {
  it('translate: an empty text, or one of more than 500 characters (10,000 once ran out of heap after six minutes)', async () => {
    const result = await nnkit(['translate', nowhere, '1'.repeat(10_000)]);
    expectOneLine(result, 2, 'translate expects a text of at most 500 characters, got 10000.');
    expectOneLine(await nnkit(['translate', nowhere, ' ']), 2, 'translate expects a text of 1 to 500 characters, got an empty one.');
  });

  it('sample: a prompt of more than 2,000 characters, a --length above 100,000, an infinite temperature', async () => {
    expectOneLine(
      await nnkit(['sample', nowhere, '--prompt', 'x'.repeat(2_001)]),
      2,
      '--prompt expects at most 2000 characters, got 2001.',
    );
    expectOneLine(await nnkit(['sample', nowhere, '--length', '100001']), 2, "--length expects an integer from 1 to 100000, got '100001'.");
    expectOneLine(
      await nnkit(['sample', nowhere, '--temperature', 'Infinity']),
      2,
      "--temperature expects a finite number ≥ 0, got 'Infinity'.",
    );
  });

  it('translate and caption: a --beam above 64', async () => {
    expectOneLine(await nnkit(['translate', nowhere, 'abc', '--beam', '65']), 2, "--beam expects an integer from 1 to 64, got '65'.");
    expectOneLine(
      await nnkit(['caption', nowhere, join(root, 'x.png'), '--beam', '1000']),
      2,
      "--beam expects an integer from 1 to 64, got '1000'.",
    );
  });

  it('datasets: a count that sizes an allocation beyond its schema max (digit-scenes {"train": 1e9} once asked for a 12.5 TB array)', async () => {
    const cases = [
      [
        'captioner/captioner',
        'datasets/digit-scenes',
        '{"train": 1e9}',
        "Option 'train' of dataset datasets/digit-scenes expects an integer ≥ 1 and ≤ 100000",
      ],
      [
        'seq2seq/translator',
        'datasets/dates',
        '{"train": 1e9}',
        "Option 'train' of dataset datasets/dates expects an integer ≥ 1 and ≤ 693975",
      ],
    ] as const;
    for (const [model, dataset, options, message] of cases) {
      const result = await nnkit(
        ['train', model, '--dataset', dataset, '--dataset-options', options, '--out', join(root, 'refused')],
        undefined,
        FAST,
      );
      expectOneLine(result, 2, message);
      expect(result.stderr).not.toContain("plugin's authors");
    }
  });

  it('states each limit in --help', async () => {
    const help = async (command: string) => (await nnkit([command, '--help'])).stdout;
    expect(await help('translate')).toMatch(
      /text of at most 500 characters[^]*at most 4 × its symbols \+ 20 tokens, 1000 in all[^]*--beam[^\n]*an integer from 1 to 64/,
    );
    const sample = await help('sample');
    for (const limit of [
      /--prompt[^\n]*at most 2000 characters/,
      /--length[^\n]*an integer from 1 to 100000/,
      /--temperature[^\n]*a finite number ≥ 0/,
    ])
      expect(sample).toMatch(limit);
    expect(await help('caption')).toMatch(
      /in at most 40 words[^]*--beam[^\n]*an integer from 1 to 64[^]*--out[^\n]*checked before the model runs/,
    );
  });
});

describe('translate: a maximum output length always applies, with a note when it cut the output', () => {
  const model = join(root, 'dates');
  beforeAll(async () => {
    // One epoch on 320 pairs: far too little to learn where a date ends, so the output runs to its limit.
    const result = await nnkit(
      ['train', 'seq2seq/translator', '--dataset-options', '{"train": 320, "validation": 32, "test": 32}', '--epochs', '1', '--out', model],
      undefined,
      FAST,
    );
    expect(result.code, result.stderr).toBe(0);
  }, 120_000);

  it('stops at 4 × the source symbols + 20 tokens, at most 1000, and says that it cut', async () => {
    expect([outputLimit(1), outputLimit(11), outputLimit(245), outputLimit(500)]).toEqual([24, 64, 1000, 1000]);
    const result = await nnkit(['translate', model, '23 Jan 2017', '--json'], undefined, FAST);
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer).toMatchObject({ cut: true, maxLength: 64 });
    expect(answer.tokens).toHaveLength(64);
    expect(result.stderr).toContain('output cut at 64 tokens (the most for a source of 11 symbols): the model had not ended it.');
  }, 60_000);
});

describe('sample: a prompt in symbols the model never saw is refused, as translate refuses them', () => {
  const model = join(root, 'lm');
  const words = join(root, 'lm-words');
  beforeAll(async () => {
    // 3,400 tokens: just over one window of 50 steps in each of the 64 streams.
    const train = (level: string, out: string) =>
      nnkit(
        [
          'train',
          'lstm/lm',
          '--epochs',
          '1',
          '--config',
          '{"units": 8, "embedding": 4}',
          '--dataset-options',
          `{"level": "${level}", "trainTokens": 3400}`,
          '--out',
          out,
        ],
        undefined,
        FAST,
      );
    for (const result of await Promise.all([train('char', model), train('word', words)])) expect(result.code, result.stderr).toBe(0);
  }, 120_000);

  it('names the characters it does not know, with the ones it does, and exits 2', async () => {
    const result = await nnkit(['sample', model, '--prompt', 'Call me ☃ Ishmael ✓', '--length', '5'], undefined, FAST);
    expectOneLine(
      result,
      2,
      /The model's vocabulary expects characters among " etaon.*", got "☃", "✓" in --prompt\. Leave them out or replace them\./,
    );
  }, 60_000);

  it('names the words it does not know, each with the closest word it knows', async () => {
    const result = await nnkit(['sample', words, '--prompt', 'Call me Ishmaelx, the whalle', '--length', '5'], undefined, FAST);
    expectOneLine(
      result,
      2,
      /The model's vocabulary of \d+ words expects words it was trained on, got "ishmaelx", "whalle" in --prompt\. Closest known: "ishmaelx" → "ishmael", "whalle" → "whale"\./,
    );
  }, 60_000);

  it('continues a prompt it can read', async () => {
    const result = await nnkit(['sample', model, '--prompt', 'Call me', '--length', '5', '--json'], undefined, FAST);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).text).toMatch(/^Call me[^]{5}$/);
  }, 60_000);
});

describe('caption: --out is checked before the model runs', () => {
  const model = join(root, 'scenes');
  const picture = join(root, 'black.png');
  const aFile = join(root, 'a-file');
  beforeAll(async () => {
    writePng(picture, { width: 56, height: 56, pixels: new Uint8Array(56 * 56 * 3) });
    writeFileSync(aFile, 'not a folder');
    const train = [
      'train',
      'captioner/captioner',
      '--config',
      '{"units": 16, "embedding": 8, "attentionUnits": 8}',
      '--dataset-options',
      '{"train": 64, "validation": 8, "test": 8}',
    ];
    const result = await nnkit([...train, '--epochs', '1', '--out', model], undefined, FAST);
    expect(result.code, result.stderr).toBe(0);
  }, 120_000);

  it('refuses a file, or a path under a file, in one line before loading any model', async () => {
    // No model in `nowhere`: the refusal comes first, so the run never gets as far as looking for one.
    expectOneLine(
      await nnkit(['caption', nowhere, picture, '--out', aFile]),
      1,
      `The figure folder (--out) ${aFile} expects a folder, got a file.`,
    );
    expectOneLine(await nnkit(['caption', nowhere, picture, '--out', join(aFile, 'figures')]), 1, `${aFile} is a file`);
  });

  it('takes back a folder it made when the caption is refused afterwards (a picture of the wrong size)', async () => {
    const small = writePng(join(root, 'small.png'), { width: 20, height: 20, pixels: new Uint8Array(20 * 20 * 3) });
    const out = join(root, 'made', 'figures');
    const result = await nnkit(['caption', model, small, '--out', out], undefined, FAST);
    expectOneLine(result, 1, 'expects a 56×56 picture (width × height), got 20×20');
    expect(existsSync(join(root, 'made'))).toBe(false);
  }, 60_000);

  it('stops a caption at 40 words and says that it cut', async () => {
    const result = await nnkit(['caption', model, picture, '--out', join(root, 'figures'), '--json'], undefined, FAST);
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer.words.length).toBeLessThanOrEqual(40);
    // A captioner trained for one epoch on 64 scenes has not learnt to end: its caption runs to the limit.
    expect(answer).toMatchObject({ cut: true });
    expect(answer.words).toHaveLength(40);
    expect(result.stderr).toContain('caption cut at 40 words: the model had not ended it.');
    expect(existsSync(answer.figure)).toBe(true);
  }, 60_000);
});
