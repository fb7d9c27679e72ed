import { basename, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, type ImageEncoder, type Kit, type ModelInstance, type SupervisedData, type TrainableModel } from '@nnkit/core';
import { features } from '@nnkit/recipes';
import { checkOutputFolder, type SavedModelMetadata } from '@nnkit/train';
import { isCaptioner } from '../captions.js';
import { defineCommand, option } from '../define-command.js';
import type { IntegerRange } from '../options.js';
import { withSavedModel, type SavedModel } from '../saved-model.js';
import { UsageError } from '../usage-error.js';

/** A model that hands out its own layers as encoders, as `cnn-features/cnn` does. */
interface LayeredModel extends TrainableModel {
  readonly layers: readonly string[];
  encoder(layer: string): ImageEncoder;
}

function isLayered(model: TrainableModel): model is LayeredModel {
  return Array.isArray((model as LayeredModel).layers) && typeof (model as LayeredModel).encoder === 'function';
}

/** Bounds on the work one call may ask for: a layer's units to study, test images to search, ascent steps. */
const UNITS: IntegerRange = { min: 1, max: 256 };
const IMAGES: IntegerRange = { min: 1, max: 10_000 };
const STEPS: IntegerRange = { min: 1, max: 5_000 };

/**
 * The saved model's `layer` as an encoder: the model's own `encoder(layer)` where it has one; else the encoder its
 * plugin registers as `<namespace>/<layer>`, made fresh and given the saved model's weights by name (the encoder's
 * `saved/C1/kernel` takes the model's `C1/kernel`). Returns whether the encoder owns its weights (to free them).
 */
async function encoderFor(
  kit: Kit,
  instance: ModelInstance<TrainableModel>,
  layer: string,
): Promise<{ encoder: ImageEncoder; owned: boolean }> {
  const model = instance.model;
  if (isLayered(model)) return { encoder: model.encoder(layer), owned: false };
  const namespace = instance.key.split('/')[0]!;
  const key = `${namespace}/${layer}`;
  if (!kit.registry.encoders.has(key)) {
    const offered = kit.registry.encoders
      .keys()
      .filter((k) => k.startsWith(`${namespace}/`))
      .map((k) => k.slice(namespace.length + 1));
    throw new ConfigError(
      `visualize expects a layer that '${instance.key}' offers as an encoder ('${namespace}/<layer>'), got '${layer}'. ${offered.length > 0 ? `Its plugin registers: ${offered.join(', ')}.` : `Its plugin registers no encoder.`}`,
      'layer',
    );
  }
  const encoder = await kit.createEncoder(key, { name: 'saved' });
  const missing = Object.keys(encoder.weights).filter((name) => !model.weights[name.replace(/^saved\//, '')]);
  if (missing.length > 0) {
    tf.dispose(Object.values(encoder.weights));
    throw new ConfigError(
      `visualize expects the saved '${instance.key}' to hold every weight of encoder '${key}', got none for ${missing.map((n) => n.replace(/^saved\//, '')).join(', ')}.`,
    );
  }
  for (const [name, variable] of Object.entries(encoder.weights)) variable.assign(model.weights[name.replace(/^saved\//, '')]!);
  return { encoder, owned: true };
}

/**
 * Before any images are loaded: a model with no layer visualize can study (a language model, a translator, a
 * captioner whose CNN is not offered as an encoder) is refused naming the models it works for, rather than failing
 * later on a dataset that holds no images.
 */
function refuseWithoutConvolutions(kit: Kit, { instance, metadata }: SavedModel): void {
  const offersEncoders = (key: string) => kit.registry.encoders.keys().some((k) => k.startsWith(`${key.split('/')[0]}/`));
  if (isLayered(instance.model) || offersEncoders(instance.key)) return;
  const works = kit.registry.models.keys().filter(offersEncoders);
  const what = isCaptioner(instance.model) ? 'offers none of its convolutional layers as an image encoder' : 'has no convolutional layers';
  throw new UsageError(
    `${metadata.model} ${what}: visualize works for CNNs whose plugin offers their layers as image encoders${works.length > 0 ? ` (${works.join(', ')})` : ''}.`,
  );
}

/** The images to search: the test split of the dataset the model was trained on (MNIST by default). */
async function searchImages(kit: Kit, metadata: SavedModelMetadata, limit: number): Promise<{ data: SupervisedData; images: tf.Tensor4D }> {
  const key = metadata.dataset?.key ?? 'datasets/mnist';
  const data = await kit.loadDataset<SupervisedData>(key, { ...metadata.dataset?.options, testLimit: limit });
  const split = data.test ?? data.validation;
  if (!split) {
    data.dispose();
    throw new ConfigError(`visualize expects the dataset '${key}' to have a test or validation split of images, got neither.`);
  }
  return { data, images: split.xs as tf.Tensor4D };
}

interface LayerResult {
  readonly layer: string;
  readonly units: readonly number[];
  readonly receptiveField: features.ReceptiveField;
  readonly computed: boolean;
  readonly measured: features.ReceptiveField | undefined;
  readonly topActivations: readonly number[];
  readonly maximization: readonly { unit: number; before: number; after: number }[];
  readonly figures: readonly string[];
}

export const visualizeCommand = defineCommand({
  usage: 'visualize <model-dir>',
  summary:
    "draw what a saved CNN's units respond to: top patches cropped to their receptive fields, activation maximization, the first layer's filters",
  options: {
    layer: option.text("the layer (default: every layer the model offers, as cnn-features/cnn's conv1, conv2, conv3)"),
    units: option.integer('units per layer: its strongest (default 8)', UNITS),
    images: option.integer('test images searched for top patches (default 10000)', IMAGES),
    steps: option.integer('gradient-ascent steps of activation maximization (default 200)', STEPS),
    out: option.path('folder for the pictures (default: nnkit-out/visualize/<model-dir name>)'),
  },
  async run({ positionals, options, kit: makeKit, print }) {
    const dir = resolve(positionals[0]!);
    const units = options.units ?? 8;
    const limit = options.images ?? 10_000;
    const steps = options.steps ?? 200;
    const out = resolve(options.out ?? `nnkit-out/visualize/${basename(dir)}`);
    // Before any work, creating nothing: a file, a path under one, or /proc would otherwise fail (or loop) only when
    // the first picture is written, minutes in.
    checkOutputFolder(out, { role: 'The output folder (--out)' });
    const kit = await makeKit();
    await withSavedModel(
      kit,
      dir,
      (saved) => refuseWithoutConvolutions(kit, saved),
      async (_, saved) => {
        const { instance, metadata } = saved;
        const { data, images } = await searchImages(kit, metadata, limit);
        try {
          const model = instance.model;
          const layers = options.layer !== undefined ? [options.layer] : isLayered(model) ? [...model.layers] : [];
          if (layers.length === 0)
            throw new UsageError(
              `visualize expects --layer for '${metadata.model}', which does not list its layers (its plugin's encoders are named '${instance.key.split('/')[0]}/<layer>').`,
            );
          const results: LayerResult[] = [];
          for (const layer of layers) {
            const { encoder, owned } = await encoderFor(kit, instance, layer);
            try {
              const study = await features.studyLayer(layer, encoder, images, {
                units,
                fieldInputs: 32,
                steps,
                seed: kit.random.derive(`visualize/${layer}`),
              });
              // The filters of the first convolution: for a layered model with its first layer, else for the encoder's own first kernel.
              const figures = await features.drawStudy(study, encoder, out, {
                filters: isLayered(model) ? layer === model.layers[0] : true,
              });
              results.push({
                layer,
                units: study.units,
                receptiveField: study.field,
                computed: study.computed !== undefined,
                measured: study.measured.field,
                topActivations: study.patches.map((p) => p[0]?.value ?? 0),
                maximization: study.maximized.map((m) => ({ unit: m.channel, before: m.before, after: m.after })),
                figures,
              });
            } finally {
              if (owned) tf.dispose(Object.values(encoder.weights));
            }
          }
          print({ model: metadata.model, dir, images: images.shape[0], layers: results }, () =>
            [
              `${metadata.model} from ${dir}: ${images.shape[0]} test images searched`,
              ...results.flatMap((r) => [
                `  ${r.layer}: receptive field ${r.receptiveField.size}×${r.receptiveField.size} moving ${r.receptiveField.stride} px (${r.computed ? 'computed' : 'measured'}); units ${r.units.join(', ')}; ` +
                  `activation maximization ${mean(r.maximization.map((m) => m.before)).toFixed(2)} → ${mean(r.maximization.map((m) => m.after)).toFixed(2)}`,
                ...r.figures.map((f) => `    ${f}`),
              ]),
            ].join('\n'),
          );
        } finally {
          data.dispose();
        }
      },
    );
  },
});

function mean(values: readonly number[]): number {
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}
