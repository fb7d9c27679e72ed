import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands/index.js';
import { argumentsOf, defineCommand, option } from './define-command.js';

describe('defineCommand', () => {
  it('reads the arguments a command takes from its usage line', () => {
    expect(argumentsOf('plugins')).toEqual({ min: 0, max: 0 });
    expect(argumentsOf('native [--check] [--force] [--gpu]')).toEqual({ min: 0, max: 0 });
    expect(argumentsOf('list [models|cells|…]')).toEqual({ min: 0, max: 1 });
    expect(argumentsOf('new plugin <package-name>')).toEqual({ min: 2, max: 2 });
    expect(argumentsOf('translate <model-dir> <text>')).toEqual({ min: 2, max: 2 });
    expect(argumentsOf('predict <model-dir> <digit.png> [more.png …]')).toEqual({ min: 2, max: Infinity });
  });

  it('gives run() every option read and typed, and refuses a bad one with its hint before run() starts', async () => {
    const seen: unknown[] = [];
    const command = defineCommand({
      usage: 'demo <thing>',
      summary: 'a test command',
      options: {
        count: option.integer('how many', { min: 1, max: 9 }, { hint: 'Nine is plenty.' }),
        scale: option.number('how much', { atLeast: 0 }, { limit: 'a finite number ≥ 0' }),
        loud: option.flag('say it loudly'),
        name: option.text('what to call it'),
      },
      async run({ options }) {
        seen.push(options);
      },
    });
    expect(command.name).toBe('demo');
    expect(command.positionals).toEqual({ min: 1, max: 1 });
    expect(command.options?.count?.limit).toBe('an integer from 1 to 9');
    expect(command.options?.scale?.limit).toBe('a finite number ≥ 0');
    const context = {
      positionals: ['x'],
      json: false,
      kit: () => Promise.reject(new Error('no kit')),
      print: () => undefined,
    };
    await command.run({ ...context, values: { count: '3', scale: '0.5', loud: true } });
    expect(seen).toEqual([{ count: 3, scale: 0.5, loud: true, name: undefined }]);
    await expect(command.run({ ...context, values: { count: '10' } })).rejects.toThrow(
      "--count expects an integer from 1 to 9, got '10'. Nine is plenty.",
    );
    await expect(command.run({ ...context, values: { scale: '-1' } })).rejects.toThrow("--scale expects a finite number ≥ 0, got '-1'.");
    expect(seen).toHaveLength(1);
  });

  it('keeps every built-in command named by the first word of its usage', () => {
    for (const command of COMMANDS) expect(command.usage.split(' ')[0]).toBe(command.name);
  });
});
