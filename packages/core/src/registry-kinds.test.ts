import { describe, expect, it } from 'vitest';
import { UnknownNameError } from './errors.js';
import { Registry } from './registry.js';
import type { NnkitPlugin } from './plugin.js';

/** A plugin with one contribution of each of two kinds, the smallest that tells kinds apart. */
function twoKinds(): NnkitPlugin {
  return {
    meta: { name: 'two', version: '1.0.0', namespace: 'two', nnkit: '*' },
    datasets: [{ name: 'data', description: 'd', load: async () => ({}) }],
    cells: [{ name: 'cell', description: 'c', create: () => ({}) }],
  } as unknown as NnkitPlugin;
}

describe('a name asked for as the wrong kind', () => {
  it('is named as what it is, with the names of the kind asked for', () => {
    const registry = new Registry();
    registry.register(twoKinds());
    expect(registry.kindOf('two/data')).toBe('dataset');
    expect(registry.kindOf('two/nothing')).toBeUndefined();
    let thrown: unknown;
    try {
      registry.cells.get('two/data');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnknownNameError);
    expect((thrown as UnknownNameError).code).toBe('NNKIT_UNKNOWN_NAME');
    expect((thrown as UnknownNameError).registeredAs).toBe('dataset');
    expect((thrown as Error).message).toBe("'two/data' is a dataset, not a cell: give a cell instead, one of two/cell.");
    expect(() => registry.models.get('two/cell')).toThrow("'two/cell' is a cell, not a model: give a model instead (none is registered).");
  });

  it('is still unknown when no kind has it', () => {
    const registry = new Registry();
    registry.register(twoKinds());
    expect(() => registry.datasets.get('two/dta')).toThrow("No dataset named 'two/dta' is registered. Did you mean 'two/data'?");
  });
});
