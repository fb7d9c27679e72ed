import type { Kit, RecipeDefinition, RecipeOptions, RecipeResult } from '@nnkit/core';

/** A recipe's two sizes: `quick` for `--quick` (tests, a first look), `full` for the reproduction itself. */
export interface RecipeSettings<Setting> {
  readonly quick: Setting;
  readonly full: Setting;
}

/** How a recipe runs: with a seed of its own (the options' seed, else `seed`), or with the kit's random source alone. */
type Reproduction<Setting, Options extends RecipeOptions> =
  | {
      /** The seed a run takes when its options name none. */
      readonly seed: number;
      readonly reproduce: (kit: Kit, setting: Setting, seed: number, options: Options) => Promise<RecipeResult>;
    }
  | {
      /** None: the recipe draws its seeds from `kit.random`. */
      readonly seed?: undefined;
      readonly reproduce: (kit: Kit, setting: Setting, options: Options) => Promise<RecipeResult>;
    };

export type SettingsRecipe<Setting, Options extends RecipeOptions = RecipeOptions> = Pick<
  RecipeDefinition,
  'name' | 'description' | 'reproduces'
> & { readonly settings: RecipeSettings<Setting> } & Reproduction<Setting, Options>;

/**
 * A recipe that runs one of its settings: the quick one when the options ask for it, else the full one. Every such
 * recipe picked its setting and seed the same way in its own `run`; here that choice is made once.
 */
export function recipeOf<Setting, Options extends RecipeOptions = RecipeOptions>(
  recipe: SettingsRecipe<Setting, Options>,
): RecipeDefinition {
  const { name, description, reproduces, settings } = recipe;
  return {
    name,
    description,
    reproduces,
    run(options: RecipeOptions, { kit }: { kit: Kit }) {
      const setting = options.quick ? settings.quick : settings.full;
      // The options a recipe declares (FeatureVisualizationOptions: `encoders`) arrive as the RecipeOptions they extend.
      const own = options as Options;
      return recipe.seed === undefined
        ? recipe.reproduce(kit, setting, own)
        : recipe.reproduce(kit, setting, options.seed ?? recipe.seed, own);
    },
  };
}
