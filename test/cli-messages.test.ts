import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
    [['train', 'lenet5/lenet5', '--epochs', '-1'], "nnkit: --epochs expects an integer ≥ 1, got '-1'."],
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
    [['train', 'lenet5/lenet5', '--epochs'], 'nnkit: --epochs expects a value, got none.'],
    [['train', 'lenet5/lenet5', '--out', '-o'], "nnkit: --out expects a value, got '-o', which reads as an option. If it is the value, write --out=-o."],
    [['list', '--json=yes'], "nnkit: --json expects no value (it is a switch), got '--json=yes'. Write --json alone."],
    [['eval', 'somewhere', '--dataset='], 'nnkit: --dataset expects a registered name of 1 to 200 characters, got an empty one.'],
    [['info', ''], 'nnkit: info expects a registered name of 1 to 200 characters, got an empty one. nnkit list shows them.'],
  ])('nnkit %j: a missing or misplaced value, said in one line', async (args, message) => {
    expectUsageError(await nnkit(args), message);
  });

  it('answers a pasted page in place of a name or an option at once, without searching for the closest', async () => {
    const started = Date.now();
    expectUsageError(await nnkit(['info', 'x'.repeat(300)]), 'nnkit: info expects a registered name of 1 to 200 characters, got 300 characters. nnkit list shows them.');
    expectUsageError(await nnkit(['list', `--${'y'.repeat(100_000)}`]), /^nnkit: Unknown option '--y+' for nnkit list\. `nnkit list --help` lists the options it takes\.$/);
    expect(Date.now() - started).toBeLessThan(30_000);
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

  it('names the file when its JSON is broken', async () => {
    const cwd = configured('{"plugins": [');
    const result = await nnkit(['list'], cwd);
    expectUsageError(result, `nnkit: Config file ${join(cwd, 'nnkit.config.json')} expects valid JSON, got: `);
  });
});
