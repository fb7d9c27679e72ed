import type * as tf from '@tensorflow/tfjs';
import type { ConfigOf, ConfigSchema } from './config-schema.js';
import type { Kit } from './kit.js';
import type { TrainingDefaults } from './training-contract.js';

/**
 * What a plugin can contribute. Each contribution has a short `name`; the registry files it under the
 * plugin's namespace, so `lm` from the plugin with namespace `lstm` is found as `lstm/lm`.
 */
export interface Contribution {
  /** Letters, digits, `-`, `_` and `.`; no `/` (the namespace is added by the registry). */
  readonly name: string;
  /** One line, shown by `nnkit list` and `nnkit info`. */
  readonly description: string;
}

/** Everything a model's `create()` may use besides its config: the kit, to look up cells or encoders by name. */
export interface ModelContext {
  readonly kit: Kit;
  /** The model's registered key (`lstm/lm`). */
  readonly key: string;
}

/** Named hyperparameters kept apart from the model code (as fairseq's `register_model_architecture`). */
export interface Preset<S extends ConfigSchema> {
  readonly description: string;
  readonly config: Partial<ConfigOf<S>>;
}

export interface ModelDefinition<S extends ConfigSchema = ConfigSchema, M = unknown> extends Contribution {
  readonly config: S;
  readonly presets?: Readonly<Record<string, Preset<S>>>;
  /** Builds the model from a config that the registry has already validated and completed. */
  create(config: ConfigOf<S>, context: ModelContext): M | Promise<M>;
  /** How `nnkit train` trains it when not told otherwise. */
  readonly training?: TrainingDefaults;
}

/**
 * A recurrent cell: one time step of a recurrent network. Models (seq2seq, language models) unroll any
 * registered cell by name, so a cell from a third-party plugin works in them at once.
 */
export interface RecurrentCell {
  /** Size of the output at each step (the hidden size). */
  readonly units: number;
  /** Zero state for a batch: one tensor per component, each (batch, stateSize): `[h]` for a simple RNN, `[h, c]` for an LSTM. */
  initialState(batchSize: number): tf.Tensor2D[];
  /** One step: input (batch, inputSize) and state → output (batch, units) and the next state. */
  step(input: tf.Tensor2D, state: readonly tf.Tensor2D[]): { output: tf.Tensor2D; state: tf.Tensor2D[] };
  /** The cell's variables, for optimizers and checkpoints. */
  readonly trainableWeights: readonly tf.Variable[];
}

export interface CellOptions {
  readonly inputSize: number;
  readonly units: number;
  /** Seed for weight initialization; the same seed gives the same weights. */
  readonly seed?: number;
  /** Prefix for variable names, so that two cells in one model do not collide. */
  readonly name?: string;
}

export interface CellDefinition extends Contribution {
  create(options: CellOptions): RecurrentCell;
}

/** An image encoder: a CNN that turns images into features, used by the captioner and by feature visualizations. */
export interface ImageEncoder {
  /** (height, width, channels) of one input image. */
  readonly inputShape: readonly number[];
  /** Shape of the features of one image, without the batch dimension. */
  readonly outputShape: readonly number[];
  encode(images: tf.Tensor4D): tf.Tensor;
  readonly trainableWeights: readonly tf.Variable[];
}

export interface EncoderOptions {
  readonly seed?: number;
  readonly name?: string;
  readonly [option: string]: unknown;
}

export interface EncoderDefinition extends Contribution {
  create(options: EncoderOptions, context: { kit: Kit }): ImageEncoder | Promise<ImageEncoder>;
}

export interface DatasetDefinition<D = unknown> extends Contribution {
  /** Loads (or generates) the dataset. Loaders check what they read and refuse bad files with a DataError. */
  load(options: Readonly<Record<string, unknown>>, context: { kit: Kit }): Promise<D>;
}

/** One line of a reproduction: what the lecture or paper says next to what nnkit measured. */
export interface RecipeRow {
  readonly quantity: string;
  readonly target: string;
  readonly measured: string;
  /** Whether the measurement meets the target; absent where the row only reports. */
  readonly ok?: boolean;
}

export interface RecipeResult {
  readonly rows: readonly RecipeRow[];
  /** Paths of the figures (PNG) the recipe wrote. */
  readonly figures: readonly string[];
  /** Anything else worth keeping in machine-readable form. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface RecipeOptions {
  /** The short setting meant for tests and a first look, instead of the full reproduction. */
  readonly quick?: boolean;
  /** Folder for figures and saved models. */
  readonly outDir?: string;
  readonly seed?: number;
  readonly [option: string]: unknown;
}

export interface RecipeDefinition extends Contribution {
  /** What the slide or paper claims, in one sentence. */
  readonly reproduces: string;
  run(options: RecipeOptions, context: { kit: Kit }): Promise<RecipeResult>;
}
