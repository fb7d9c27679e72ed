import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  CORE_VERSION,
  DataError,
  IncompatiblePluginError,
  JsonTextError,
  NnkitError,
  parseJsonText,
  pluginLoadsVersion,
  ShapeError,
  type FileStorage,
  type Kit,
  type ModelInstance,
  type TrainableModel,
} from '@nnkit/core';
import { fileSystemStorage } from '@nnkit/kit';
import { waitForFolder, type FolderLock } from './folder-lock.js';
import { cleanDeadTemporaries, orphanWeights, removeLitter, WEIGHTS_FILE } from './litter.js';
import { checkOutputFolder } from './output-folder.js';
import { assignWeights, byteLength, checkSpecs, decodeWeights, encodeModelWeights, firstNonFinite } from './weights-codec.js';

/** What nnkit keeps beside the weights, so that `loadModel` can rebuild the model it came from. */
export interface SavedModelMetadata {
  readonly nnkitVersion: string;
  /** The plugin that registered the model, and its version: a plugin refuses models saved by versions it can't load. */
  readonly plugin: string;
  readonly pluginVersion?: string;
  /** The registered model (`lenet5/lenet5`) and the complete config it was made from. */
  readonly model: string;
  readonly preset?: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly vocabulary?: readonly string[];
  /** How the vocabulary's tokens join into text, where that is not '' (a captioner's words: ' '). */
  readonly separator?: string;
  /** A sequence-to-sequence model's two vocabularies and how their tokens join into text, for `nnkit translate`. */
  readonly vocabularies?: SequenceVocabularies;
  /** How raw input becomes the model's input (a speech model's log-mel front end), for commands that read raw input. */
  readonly features?: Readonly<Record<string, unknown>>;
  /** The dataset it was trained on, for `nnkit eval`. */
  readonly dataset?: { readonly key: string; readonly options?: Readonly<Record<string, unknown>> };
  readonly metrics?: Readonly<Record<string, number>>;
  readonly steps?: number;
}

/** model.json: tfjs's format (a weights manifest), plus nnkit's metadata under `nnkit`. */
interface ModelJson {
  readonly format: 'nnkit-model';
  readonly generatedBy: string;
  readonly weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  readonly nnkit: SavedModelMetadata;
}

/** Source and target symbols of a sequence-to-sequence model, and the separators that join them into text. */
export interface SequenceVocabularies {
  readonly source: readonly string[];
  readonly target: readonly string[];
  readonly sourceSeparator: string;
  readonly targetSeparator: string;
}

export interface SaveOptions {
  readonly vocabulary?: readonly string[];
  readonly separator?: string;
  readonly vocabularies?: SequenceVocabularies;
  readonly features?: SavedModelMetadata['features'];
  readonly dataset?: SavedModelMetadata['dataset'];
  readonly metrics?: Readonly<Record<string, number>>;
  readonly steps?: number;
}

/** Where a model is saved or loaded from, beside the folder's path. */
export interface StorageOption {
  /** Default: the kit's storage (for saveModel, that of the kit that made the model), else the file system. */
  readonly storage?: FileStorage;
}

/**
 * Saves a model made by `kit.createModel` into `dir`, in that kit's storage (`kit.storage`: the file system unless the
 * app or a plugin swapped it) unless `storage` says otherwise: `model.json` (tfjs's weights manifest plus nnkit's
 * metadata) and `weights-<hash>.bin`. The weights file is named by its content and written first, model.json
 * last (each atomically), so an interrupted save leaves the previous model whole. Saves into one folder take
 * turns (a lock file, `.nnkit-save.lock`), so that one never deletes the weights another's model.json names.
 * Weights that are NaN or infinite are refused: such a model could never be loaded.
 */
export async function saveModel(
  dir: string,
  instance: ModelInstance<TrainableModel>,
  saveOptions: SaveOptions & StorageOption & { readonly onNote?: (line: string) => void } = {},
): Promise<string> {
  const { onNote, storage = instance.storage ?? fileSystemStorage(), ...options } = saveOptions;
  const { specs, data } = await encodeModelWeights(instance.model);
  // Before anything is created: not under /proc (where mkdir can loop), not a file, writable, room for the weights.
  if (storage.local) checkOutputFolder(dir, { role: "saveModel's folder", room: 2 * data.length });
  const bad = firstNonFinite(data, specs);
  if (bad)
    throw new DataError(
      `saveModel expects finite weights, got ${bad.value} in '${bad.name}' (element ${bad.index}). Training diverged: lower the learning rate or clip the gradients, and train again.`,
    );
  const weightsFile = `weights-${createHash('sha256').update(data).digest('hex').slice(0, 16)}.bin`;
  const json: ModelJson = {
    format: 'nnkit-model',
    generatedBy: `nnkit ${CORE_VERSION}`,
    weightsManifest: [{ paths: [weightsFile], weights: specs }],
    nnkit: {
      nnkitVersion: CORE_VERSION,
      plugin: instance.owner,
      pluginVersion: instance.ownerVersion,
      model: instance.key,
      ...(instance.preset !== undefined && { preset: instance.preset }),
      config: instance.config,
      ...options,
    },
  };
  const path = join(dir, 'model.json');
  // On disk, saves take turns and clean up after killed ones; in memory no write is torn or shared with a process.
  let lock: FolderLock | undefined;
  if (storage.local) {
    lock = await waitForFolder(dir, { purpose: 'saveModel', file: '.nnkit-save.lock', ...(onNote && { onNote }) });
  }
  try {
    if (storage.local) {
      // What a killed save left: its temporaries, and weights that no model.json names (the save lock is ours).
      cleanDeadTemporaries(dir, onNote);
      removeLitter(
        dir,
        orphanWeights(dir).filter((name) => name !== weightsFile),
        'no model.json names (a save was interrupted)',
        onNote,
      );
    }
    storage.write(join(dir, weightsFile), [data]);
    storage.write(path, [Buffer.from(`${JSON.stringify(json, null, 2)}\n`)]);
    // Under the lock, no other save is between its weights and its model.json: the only weights named are ours.
    for (const old of storage.list(dir)) {
      if (WEIGHTS_FILE.test(old) && old !== weightsFile) storage.remove(join(dir, old));
    }
  } finally {
    lock?.release();
  }
  return path;
}

/** Reads model.json and checks it is one nnkit wrote, with a manifest of one weights file. */
export function readModelJson(dir: string, storage: FileStorage = fileSystemStorage()): ModelJson {
  const path = join(dir, 'model.json');
  if (!storage.exists(path))
    throw new DataError(`loadModel expects ${path}, got no such file. Is ${dir} a folder written by saveModel or nnkit train --out?`);
  let json: ModelJson;
  const text = Buffer.from(storage.read(path)).toString('utf8');
  try {
    // A leading BOM (an editor on Windows) is accepted; bad syntax is named by line and column, in nnkit's words.
    json = parseJsonText(text, path) as ModelJson;
  } catch (error) {
    if (!(error instanceof JsonTextError)) throw error;
    throw new DataError(
      `loadModel expects ${path} to be JSON, got ${error.reason}. The file is damaged (an interrupted copy, or an edit); restore it or retrain.`,
    );
  }
  const notModel = notAnNnkitModel(json);
  if (notModel !== undefined) {
    throw new DataError(
      `loadModel expects ${path} to be an nnkit model (an object with format 'nnkit-model' and its metadata under 'nnkit'), got ${notModel}. Is ${dir} a folder written by saveModel or nnkit train --out? Restore the file or retrain.`,
    );
  }
  const manifest: unknown = json.weightsManifest;
  const group =
    Array.isArray(manifest) && manifest.length === 1 ? (manifest[0] as Partial<ModelJson['weightsManifest'][number]> | null) : undefined;
  if (
    !Array.isArray(group?.paths) ||
    group.paths.length !== 1 ||
    typeof group.paths[0] !== 'string' ||
    basename(group.paths[0]) !== group.paths[0]
  ) {
    throw new DataError(
      `loadModel expects ${path} to have a weightsManifest of one weights file in its folder, got ${JSON.stringify(manifest)}. The file is damaged; retrain or restore it.`,
    );
  }
  checkSpecs(group.weights, path);
  if (typeof json.nnkit.config !== 'object' || json.nnkit.config === null) {
    throw new DataError(
      `loadModel expects ${path} to hold the model's config, got ${JSON.stringify(json.nnkit.config)}. The file is damaged; retrain or restore it.`,
    );
  }
  return json;
}

/** What a parsed model.json is, in words, when it is not an nnkit model (undefined when it is one). */
export function notAnNnkitModel(json: unknown): string | undefined {
  if (json === null) return 'null';
  if (Array.isArray(json)) return 'an array';
  if (typeof json !== 'object') return `${typeof json} ${JSON.stringify(json)}`;
  const record = json as Record<string, unknown>;
  if (!('format' in record)) return Object.keys(record).length === 0 ? 'an empty object' : "an object without 'format'";
  if (record.format !== 'nnkit-model') return `format ${JSON.stringify(record.format)}`;
  const meta = record.nnkit;
  if (typeof meta !== 'object' || meta === null) return "no metadata under 'nnkit'";
  if (typeof (meta as Record<string, unknown>).model !== 'string') return "metadata without the model's name (nnkit.model)";
  return undefined;
}

/**
 * The manifest's shapes against the model's variables, before any bytes are read: a shape edited in model.json
 * would otherwise change the byte count it expects and be blamed on the weights file ("truncated or replaced").
 * Weights the model lacks, or saved by position (nnkit 1.0), are left to assignWeights, which lists them all.
 */
export function checkManifestShapes(model: TrainableModel, specs: readonly tf.io.WeightsManifestEntry[], path: string): void {
  for (const spec of specs) {
    const variable = model.weights[spec.name];
    if (variable === undefined || tf.util.arraysEqual(spec.shape, variable.shape)) continue;
    throw new ShapeError(
      `loadModel expects weight '${spec.name}' of ${path} to have the model's shape [${variable.shape.join(', ')}], got [${spec.shape.join(', ')}] in its weights manifest. ` +
        `Was the file edited, or saved from another config? Restore it or retrain.`,
    );
  }
}

/**
 * Reads the weights file model.json names, and checks that it is the one saved: its sha256 against the hash in its
 * name, and every float32 value finite.
 */
function readWeights(dir: string, manifest: ModelJson['weightsManifest'][number], storage: FileStorage): Uint8Array {
  const file = manifest.paths[0]!;
  const weightsPath = join(dir, file);
  if (!storage.exists(weightsPath))
    throw new DataError(`loadModel expects the weights file ${weightsPath} that model.json names, got none.`);
  const data = storage.read(weightsPath);
  const expected = byteLength(manifest.weights);
  if (data.length !== expected)
    throw new DataError(`loadModel expects ${expected} bytes in ${weightsPath}, got ${data.length} (truncated or replaced).`);
  const named = WEIGHTS_FILE.exec(file)?.[1];
  const actual = createHash('sha256').update(data).digest('hex').slice(0, 16);
  if (named !== undefined && actual !== named) {
    throw new DataError(
      `loadModel expects ${weightsPath} to have the sha256 ${named}… of its name, got ${actual}…: the file is damaged; retrain or restore it.`,
    );
  }
  const bad = firstNonFinite(data, manifest.weights);
  if (bad)
    throw new DataError(
      `loadModel expects finite weights in ${weightsPath}, got ${bad.value} in '${bad.name}' (element ${bad.index}): the file is damaged; retrain or restore it.`,
    );
  return data;
}

/**
 * Rebuilds a saved model: the same registered model and config, made by `kit` (whose plugins must include the
 * one that made it), with the saved weights. It predicts exactly as the saved one did. Read from `kit.storage`
 * unless `options.storage` says otherwise.
 */
export async function loadModel<M extends TrainableModel = TrainableModel>(
  kit: Kit,
  dir: string,
  { storage = kit.storage }: StorageOption = {},
): Promise<{ instance: ModelInstance<M>; metadata: SavedModelMetadata }> {
  const json = readModelJson(dir, storage);
  const metadata = json.nnkit;
  const manifest = json.weightsManifest[0]!;
  const path = join(dir, 'model.json');
  if (!kit.registry.models.has(metadata.model)) {
    throw new DataError(
      `loadModel expects the field nnkit.model of ${path} to name a registered model, got '${metadata.model}'. ` +
        `Load the plugin that registers it (nnkit list models shows what is loaded), or restore the file if it was edited.`,
    );
  }
  const owner = kit.registry.models.entry(metadata.model).owner;
  if (owner !== metadata.plugin && kit.plugins.some((l) => l.plugin.meta.name === metadata.plugin)) {
    // The plugin that saved it is here, and registers other models: model.json names a model it never saved.
    throw new DataError(
      `loadModel expects the field nnkit.model of ${path} to name a model of '${metadata.plugin}' (the plugin that saved it, field nnkit.plugin), ` +
        `got '${metadata.model}', registered by '${owner}'. Was the file edited, or copied from another model? Restore it or retrain.`,
    );
  }
  checkPluginVersion(kit, metadata, dir);
  const instance = await createSavedModel<M>(kit, metadata, path);
  let tensors: tf.NamedTensorMap = {};
  try {
    checkManifestShapes(instance.model, manifest.weights, path);
    tensors = decodeWeights(readWeights(dir, manifest, storage), manifest.weights);
    assignWeights(instance.model, tensors, `Saved model ${dir}`);
  } catch (error) {
    instance.model.dispose?.();
    throw error;
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return { instance: { ...instance, ...(metadata.preset !== undefined && { preset: metadata.preset }) }, metadata };
}

/**
 * The model model.json names, made from its config: a config that model does not take (a model.json edited by hand,
 * or copied from another model) is refused naming the file and the field.
 */
async function createSavedModel<M extends TrainableModel>(kit: Kit, metadata: SavedModelMetadata, path: string): Promise<ModelInstance<M>> {
  try {
    return await kit.createModel<M>(metadata.model, { config: metadata.config });
  } catch (error) {
    if (!(error instanceof NnkitError) || error.code !== 'NNKIT_CONFIG') throw error;
    throw new DataError(
      `loadModel expects the field nnkit.config of ${path} to be a config of '${metadata.model}', got one it refuses: ${error.message} ` +
        `Was the file edited, or copied from another model? Restore it or retrain.`,
      { cause: error },
    );
  }
}

/** The plugin that now registers the saved model must be one that can load what the saving version wrote. */
function checkPluginVersion(kit: Kit, metadata: SavedModelMetadata, dir: string): void {
  const owner = kit.registry.models.entry(metadata.model).owner;
  const plugin = kit.plugins.find((l) => l.plugin.meta.name === owner)?.plugin;
  if (!plugin || metadata.pluginVersion === undefined) return;
  if (owner !== metadata.plugin) {
    throw new IncompatiblePluginError(
      owner,
      `models saved by '${metadata.plugin}'`,
      plugin.meta.version,
      `Saved model ${dir} was written by '${metadata.plugin}' ${metadata.pluginVersion}, but '${metadata.model}' is now registered by '${owner}' ${plugin.meta.version}. Load the plugin that saved it.`,
    );
  }
  if (!pluginLoadsVersion(plugin.meta, metadata.pluginVersion)) {
    throw new IncompatiblePluginError(
      owner,
      plugin.meta.loads ?? `the same major version as ${plugin.meta.version}`,
      plugin.meta.version,
      `Saved model ${dir} was written by '${owner}' ${metadata.pluginVersion}, and the loaded '${owner}' ${plugin.meta.version} loads only models saved by ${plugin.meta.loads ?? `its own major version`}. Install '${owner}'@${metadata.pluginVersion} to load it, or retrain it.`,
    );
  }
}
