import { describe, expect, it } from 'vitest';
import { describeSchema, field, showValue, validateConfig, validateOptions } from './config-schema.js';
import { ConfigError } from './errors.js';

const schema = {
  units: field.integer({ default: 128, min: 1, description: 'hidden units' }),
  dropout: field.number({ default: 0, min: 0, max: 1, description: 'dropout rate' }),
  activation: field.oneOf(['tanh', 'relu'], { default: 'tanh', description: 'nonlinearity' }),
  tied: field.boolean({ default: false, description: 'tie input and output embeddings' }),
  cell: field.string({ description: 'registered recurrent cell' }),
  filters: field.integerList({ default: [6, 16], min: 1, description: 'filters per layer' }),
};

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('validateConfig', () => {
  it('fills defaults and keeps given values', () => {
    const config = validateConfig(schema, { cell: 'lstm/lstm', units: 64 }, "model 'x/y'");
    expect(config).toEqual({
      units: 64,
      dropout: 0,
      activation: 'tanh',
      tied: false,
      cell: 'lstm/lstm',
      filters: [6, 16],
    });
  });

  it('copies list defaults so that one config cannot change another', () => {
    const a = validateConfig(schema, { cell: 'c' }, 'm');
    a.filters.push(99);
    expect(validateConfig(schema, { cell: 'c' }, 'm').filters).toEqual([6, 16]);
  });

  it('refuses an unknown key, names it and suggests the closest', () => {
    const error = configError(() => validateConfig(schema, { cell: 'c', unit: 3 }, "model 'x/y'"));
    expect(error.key).toBe('unit');
    expect(error.message).toContain("unknown key 'unit'");
    expect(error.message).toContain("Did you mean 'units'?");
    expect(error.message).toContain("model 'x/y'");
  });

  it.each([
    ['units', 1.5, 'an integer ≥ 1'],
    ['units', 0, 'an integer ≥ 1'],
    ['units', '64', 'an integer ≥ 1'],
    ['dropout', 1.5, 'a number ≥ 0 and ≤ 1'],
    ['activation', 'sigmoid', "one of 'tanh' | 'relu'"],
    ['tied', 'yes', 'true or false'],
    ['filters', [6, 0], 'integer[] (each ≥ 1)'],
    ['cell', 3, 'a string'],
  ])('refuses %s = %j and says what it expects', (key, value, expected) => {
    const error = configError(() => validateConfig(schema, { cell: 'c', [key]: value }, 'm'));
    expect(error.key).toBe(key);
    expect(error.message).toContain(expected);
    expect(error.message).toContain(`got ${JSON.stringify(value)}`.replace(/"/g, typeof value === 'string' ? "'" : '"'));
  });

  it('asks for a required key that is missing', () => {
    const error = configError(() => validateConfig(schema, {}, 'm'));
    expect(error.key).toBe('cell');
    expect(error.message).toMatch(/expects 'cell' .* got nothing/);
  });

  it('refuses a config that is not an object', () => {
    expect(configError(() => validateConfig(schema, [1], 'm')).message).toContain('expects an object');
  });

  it('describes every field for `nnkit info`', () => {
    expect(describeSchema(schema)[0]).toEqual({
      key: 'units',
      type: 'integer ≥ 1',
      default: 128,
      description: 'hidden units',
    });
    expect(describeSchema(schema).find((f) => f.key === 'cell')).not.toHaveProperty('default');
  });
});

describe("validateOptions: a dataset's or an encoder's options, checked as a config is", () => {
  const options = {
    train: field.integer({ default: 100, min: 1, max: 1000, description: 'training examples' }),
    limit: field.integer({ min: 1, description: 'keep only this many' }),
  };

  it('fills defaults and leaves an option without a default out when it is not given', () => {
    expect(validateOptions(options, undefined, 'dataset toy/xs')).toEqual({ train: 100 });
    expect(validateOptions(options, { limit: 5 }, 'dataset toy/xs')).toEqual({ train: 100, limit: 5 });
  });

  it('refuses an unknown option with the closest one, a wrong type and a value out of range, naming the owner', () => {
    expect(configError(() => validateOptions(options, { trian: 5 }, 'dataset toy/xs')).message).toBe(
      "Dataset toy/xs expects options among train, limit, got unknown option 'trian'. Did you mean 'train'?",
    );
    const range = configError(() => validateOptions(options, { train: 1e9 }, 'encoder toy/conv'));
    expect(range.message).toBe("Option 'train' of encoder toy/conv expects an integer ≥ 1 and ≤ 1000 (training examples), got 1000000000.");
    expect(range.key).toBe('train');
    expect(configError(() => validateOptions(options, { limit: '5' }, 'dataset toy/xs')).message).toContain(
      "expects an integer ≥ 1 (keep only this many), got '5'.",
    );
    expect(configError(() => validateOptions(options, 'all', 'dataset toy/xs')).message).toBe(
      "Dataset toy/xs expects an options object, got 'all'.",
    );
  });

  it('quotes values as a message shows them', () => {
    expect([showValue('a'), showValue([1, 2]), showValue(undefined), showValue(null), showValue(NaN), showValue(-Infinity)]).toEqual([
      "'a'",
      '[1,2]',
      'undefined',
      'null',
      'NaN',
      '-Infinity',
    ]);
  });
});
