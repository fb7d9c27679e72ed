import type * as tf from '@tensorflow/tfjs';
import type { ConfigOf, ConfigSchema } from './config-schema.js';
import type { Kit } from './kit-contract.js';
import type { TrainingDefaults, WeightMap } from './training-contract.js';

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
  /**
   * The registered task it learns (`tasks/sequence-pairs`): which data it takes, how that is batched and how the
   * model is scored. Without one, `nnkit train` takes it for a model of examples (`tasks/labelled-images`), or of
   * token streams where its training defaults set `bptt`.
   */
  readonly task?: string;
}

/** What a cell's step may need besides its input and state. */
export interface CellStepOptions {
  /** True while training (a cell with dropout drops only then). Default false. */
  readonly training?: boolean;
  /** Seeds the step's randomness, where the cell has any. */
  readonly seed?: number;
  /** A per-example vector the step reads too, (batch, contextSize): an attention context, an image's features. */
  readonly context?: tf.Tensor2D;
}

/**
 * A model made from another registered model with other defaults, so that a plugin can offer it under its own
 * name without importing the plugin that owns the code: `lstm/lm` is `rnn-lm/lm` with `cell: 'lstm/lstm'`.
 * The base model's schema, presets and `create` serve it; the base's plugin must be loaded.
 */
export interface ModelVariantDefinition extends Contribution {
  /** The registered model it is made from (`rnn-lm/lm`). */
  readonly extends: string;
  /** Defaults that differ from the base model's; each must be a key of its config. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** How `nnkit train` trains it, where it differs from the base. */
  readonly training?: TrainingDefaults;
  /** The task it learns, where it differs from the base's (which it inherits otherwise). */
  readonly task?: string;
}

/**
 * A recurrent cell: one time step of a recurrent network. Models (seq2seq, language models) unroll any
 * registered cell by name, so a cell from a third-party plugin works in them at once.
 *
 * Tensor ownership: `step` must not dispose its inputs (the caller may still need the previous state); it
 * returns new tensors the caller owns. Run it inside `tf.tidy` or dispose what you keep.
 */
export interface RecurrentCell {
  /** Size of the output at each step (the hidden size). */
  readonly units: number;
  /**
   * Sizes of the state's components, each a (batch, size) tensor: `[units]` for a simple RNN or a GRU, `[units,
   * units]` (h, c) for an LSTM. Callers build zero states from it (`zeroState`) without asking the cell.
   */
  readonly stateSizes: readonly number[];
  /**
   * Which state component is the step's output h, so that a caller reads h from a state (an attention query, the
   * top layer of a stack) without index arithmetic, as tfjs-layers' StackedRNNCells does. Optional: absent, it is
   * 0 when `stateSizes[0]` equals `units` (the simple RNN, the GRU and the LSTM's [h, c] all start with h), and a
   * caller that needs h refuses a cell with neither (`outputStateOf` in @nnkit/ops reads it).
   */
  readonly outputState?: number;
  /** The cell's variables by stable name, each prefixed with the `name` it was created with (`layer0/kernel`). */
  readonly weights: WeightMap;
  /** One step: input (batch, inputSize) and state → output (batch, units) and the next state. */
  step(input: tf.Tensor2D, state: readonly tf.Tensor2D[], options?: CellStepOptions): { output: tf.Tensor2D; state: tf.Tensor2D[] };
  /**
   * Optional, for speed: `step` for a run of many steps, with what depends only on the weights made once (the LSTM
   * lays its kernel out for TensorFlow's fused LSTMBlockCell on the native backend). The same values and gradients as
   * `step`. Call it once per run inside the run's `tf.tidy` (within the loss, so that the gradient reaches the
   * weights through what it prepares): the steps are valid until that scope ends, and read the weights as they were
   * when it was called. Decoders that step a cell through a whole target (teacher forcing) use it.
   */
  prepareSteps?(): RecurrentCell['step'];
  /**
   * Optional, for speed: the whole sequence at once, as `step` would run it from `state` (same values, same
   * gradients), without a per-step context. Inputs are time-major (time, batch, inputSize); returns the outputs
   * (time, batch, units) and every state component after every step, (time, batch, size) each. A cell can do here what
   * a step can't: project every step's input in one matMul, or call a fused kernel (the LSTM's BlockLSTM on the
   * native backend). Models use it where they run a layer over a known sequence (a language model's window).
   */
  sequence?(
    inputs: tf.Tensor3D,
    state: readonly tf.Tensor2D[],
    options?: Omit<CellStepOptions, 'context'>,
  ): { outputs: tf.Tensor3D; states: tf.Tensor3D[] };
}

export interface CellOptions {
  readonly inputSize: number;
  readonly units: number;
  /** Seed for weight initialization; the same seed gives the same weights. */
  readonly seed?: number;
  /** Prefix of the weights' names (`encoder/layer0` gives `encoder/layer0/kernel`), so two cells in one model do not collide. Default: the cell's own name. */
  readonly name?: string;
  /** Size of the per-step `context` the cell will be given (0 or absent: none). */
  readonly contextSize?: number;
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
  /** The encoder's variables by stable name, prefixed with the `name` it was created with. */
  readonly weights: WeightMap;
  /**
   * For a spatial grid: the square of input pixels one output position sees (`size`), how far apart neighbouring
   * positions' squares start (`stride`) and where position 0's starts (`offset`, negative inside the padding).
   * Optional: tools that need it measure it from the gradient where it is absent.
   */
  readonly receptiveField?: { readonly size: number; readonly stride: number; readonly offset: number };
  /** Frees the variables, where the encoder owns them (one made by `kit.createEncoder`). */
  dispose?(): void;
}

export interface EncoderOptions {
  readonly seed?: number;
  readonly name?: string;
  /**
   * (height, width, channels) of the images the caller will encode. An encoder that can take any size (a fully
   * convolutional one) builds for it; one that can't ignores it, and the caller compares its `inputShape`.
   */
  readonly inputShape?: readonly number[];
  readonly [option: string]: unknown;
}

export interface EncoderDefinition extends Contribution {
  /**
   * Its own options, checked by the registry before `create()` as a model's config is: an unknown option is refused
   * with did-you-mean, a value of the wrong type or out of range by name, and defaults are filled. The contract's own
   * `seed`, `name` and `inputShape` are not part of it. Left out, options are passed on unchecked.
   */
  readonly options?: ConfigSchema;
  create(options: EncoderOptions, context: { kit: Kit }): ImageEncoder | Promise<ImageEncoder>;
}

export interface DatasetDefinition<D = unknown> extends Contribution {
  /** The registered task its data is for (`tasks/token-streams`), so that messages can name the datasets a model takes. */
  readonly task?: string;
  /**
   * Its options, checked by the registry before `load()` as a model's config is (unknown option with did-you-mean,
   * wrong type, out of range; defaults filled). A field without a default is optional. Left out, options are passed
   * on unchecked.
   */
  readonly options?: ConfigSchema;
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
  /**
   * What the run was set to (sizes, steps, learning rates, seeds): the report and `result.json` show them beside the
   * numbers, so that a result says how it was obtained.
   */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** The result in a sentence or two, with its numbers: what the README's table of results quotes. */
  readonly summary?: string;
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
