import { describe, expect, it } from 'vitest';
import { choiceOption, integerOption, jsonObjectOption, numberOption } from './options.js';
import type { Command } from './command.js';
import { joinNegativeNumbers, parseCommandLine } from './parse-argv.js';

describe('typed command-line options', () => {
  it('reads integers in a range and refuses the rest in one line that states the range', () => {
    expect(integerOption(undefined, 'epochs')).toBeUndefined();
    expect(integerOption('3', 'epochs')).toBe(3);
    expect(() => integerOption('0', 'epochs')).toThrow("--epochs expects an integer ≥ 1, got '0'.");
    expect(() => integerOption('', 'epochs')).toThrow("--epochs expects an integer ≥ 1, got ''.");
    expect(() => integerOption('65', 'beam', { min: 1, max: 64 })).toThrow("--beam expects an integer from 1 to 64, got '65'.");
  });

  it('reads numbers with open and closed bounds, never NaN or Infinity', () => {
    expect(numberOption('1e-3', 'learning-rate')).toBe(0.001);
    expect(() => numberOption('0', 'learning-rate')).toThrow("--learning-rate expects a positive number, got '0'.");
    expect(() => numberOption('Infinity', 'learning-rate')).toThrow('expects a positive number');
    expect(numberOption('0', 'temperature', { atLeast: 0 })).toBe(0);
    expect(() => numberOption('-0.1', 'temperature', { atLeast: 0, atMost: 10 })).toThrow(
      "--temperature expects a number ≥ 0 and ≤ 10, got '-0.1'.",
    );
  });

  it('names what a JSON option holds when it is not an object', () => {
    expect(jsonObjectOption('{"a": 1}', 'config')).toEqual({ a: 1 });
    expect(() => jsonObjectOption('null', 'config')).toThrow(/--config expects a JSON object .*, got null\.$/);
    expect(() => jsonObjectOption('[1]', 'config')).toThrow(/got an array\.$/);
    expect(() => jsonObjectOption('{a: 1}', 'config')).toThrow(
      `--config expects a JSON object such as '{"key": 1}', got '{a: 1}': not JSON (a property name or '}' expected at column 2).`,
    );
    // A byte-order mark in front (text pasted from a file saved on Windows) is not part of the JSON.
    expect(jsonObjectOption('\uFEFF{"a": 1}', 'config')).toEqual({ a: 1 });
    expect(() => jsonObjectOption('{"a": 1,}', 'dataset-options')).toThrow(
      /^--dataset-options .*got '\{"a": 1,\}': not JSON \(a double-quoted property name expected at column 9\)\.$/,
    );
  });

  it('suggests the closest choice', () => {
    expect(choiceOption('test', 'split', ['test', 'validation'])).toBe('test');
    expect(() => choiceOption('validaton', 'split', ['test', 'validation'])).toThrow(
      "--split expects one of test, validation, got 'validaton'. Did you mean validation?",
    );
  });

  it('joins a negative number to the option before it, and nothing else', () => {
    const options = {
      epochs: { type: 'string' },
      json: { type: 'boolean' },
      n: { type: 'string', short: 'n' },
    } as const;
    expect(joinNegativeNumbers(['--epochs', '-1', '--json', '-n', '-.5'], options)).toEqual(['--epochs=-1', '--json', '-n-.5']);
    expect(joinNegativeNumbers(['--json', '-1'], options)).toEqual(['--json', '-1']); // a switch takes no value
    expect(joinNegativeNumbers(['--epochs', '-x'], options)).toEqual(['--epochs', '-x']); // left for parseArgs to refuse
    expect(joinNegativeNumbers(['--', '--epochs', '-1'], options)).toEqual(['--', '--epochs', '-1']);
  });
});

describe('an empty value is not the default', () => {
  const command: Command = {
    name: 'demo',
    usage: 'demo',
    summary: 'x',
    positionals: { min: 0, max: 0 },
    options: {
      out: { type: 'string' },
      epochs: { type: 'string', limit: 'an integer ≥ 1' },
      prompt: { type: 'string', allowEmpty: true },
    },
    run: async () => {},
  };

  it('refuses an empty string option, saying what it expects', () => {
    expect(() => parseCommandLine(['demo', '--out', ''], command)).toThrow(
      "--out expects a path, got ''. Leave --out out for the default.",
    );
    expect(() => parseCommandLine(['demo', '--epochs='], command)).toThrow("--epochs expects an integer ≥ 1, got ''.");
    expect(() => parseCommandLine(['demo', '--backend', ''], command)).toThrow("--backend expects a value, got ''.");
  });

  it('takes it where the option allows it, and takes non-empty values', () => {
    expect(parseCommandLine(['demo', '--prompt', ''], command).values.prompt).toBe('');
    expect(parseCommandLine(['demo', '--out', ' x '], command).values.out).toBe(' x ');
  });
});
