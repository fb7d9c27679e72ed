import type { Kit, RecipeOptions } from '@nnkit/core';
import { describe, expect, it } from 'vitest';
import { recipeOf } from './recipe-of.js';

const kit = {} as Kit;
const about = { name: 'tiny', description: 'a recipe for these tests', reproduces: 'Nothing at all.' };
const settings = { quick: { size: 1 }, full: { size: 100 } };

describe('recipeOf', () => {
  it('keeps what the recipe says about itself', () => {
    const recipe = recipeOf({ ...about, settings, seed: 7, reproduce: async () => ({ rows: [], figures: [] }) });
    expect({ name: recipe.name, description: recipe.description, reproduces: recipe.reproduces }).toEqual(about);
  });

  it('runs the quick setting when asked, else the full one, with the options’ seed, else its own', async () => {
    const calls: unknown[][] = [];
    const recipe = recipeOf({
      ...about,
      settings,
      seed: 7,
      reproduce: async (...args: [Kit, { size: number }, number, RecipeOptions]) => (calls.push(args), { rows: [], figures: [] }),
    });
    await recipe.run({ quick: true }, { kit });
    await recipe.run({ seed: 3, outDir: 'out' }, { kit });
    expect(calls).toEqual([
      [kit, { size: 1 }, 7, { quick: true }],
      [kit, { size: 100 }, 3, { seed: 3, outDir: 'out' }],
    ]);
  });

  it('passes no seed to a recipe that names none (it draws from kit.random)', async () => {
    const calls: unknown[][] = [];
    const recipe = recipeOf({
      ...about,
      settings,
      reproduce: async (...args: [Kit, { size: number }, RecipeOptions]) => (calls.push(args), { rows: [], figures: [] }),
    });
    await recipe.run({ quick: true, seed: 5 }, { kit });
    expect(calls).toEqual([[kit, { size: 1 }, { quick: true, seed: 5 }]]);
  });
});
