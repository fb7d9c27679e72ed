import { mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createKit, DataError, defineModel, definePlugin, field, IncompatiblePluginError, ShapeError, silentProgress, type Kit } from '@nnkit/core';
import { describe, expect, it } from 'vitest';
import { MLP_WEIGHTS, circlesData, mlp, weightValues, type Mlp } from './mlp.fixture.js';
import { loadModel, saveModel } from './save-load.js';
import { train } from './train.js';

/** The MLP as a plugin, at a given version and with a given range of versions whose saved models it loads. */
const mlpPlugin = (version = '2.0.0', loads?: string) =>
  definePlugin({
    meta: { name: 'mlp-plugin', version, namespace: 'toy', nnkit: '^2.0.0', ...(loads !== undefined && { loads }) },
    models: [
      defineModel({
        name: 'mlp',
        description: 'a small MLP',
        config: { hidden: field.integer({ default: 8, min: 1, description: 'hidden units' }) },
        create: (c, { kit }) => mlp(kit.random.derive('mlp'), c.hidden),
      }),
    ],
  });

const kitWith = (plugin = mlpPlugin()): Promise<Kit> => createKit({ plugins: [plugin], backend: 'cpu', progress: silentProgress() });

/** A kit with the MLP plugin, a trained MLP, its data and an empty folder; `done()` frees the tensors. */
async function trainedModel(options: { plugin?: ReturnType<typeof mlpPlugin>; freeze?: string[] } = {}) {
  const kit = await kitWith(options.plugin);
  const instance = await kit.createModel<Mlp>('toy/mlp', { config: { hidden: 6 } });
  const initial = await weightValues(instance.model);
  const data = circlesData(64);
  await train({ model: instance.model, data, epochs: 3, batchSize: 16, ...(options.freeze && { freeze: options.freeze }) });
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-model-'));
  const done = () => {
    instance.model.dispose!();
    data.dispose();
  };
  return { kit, instance, initial, data, dir, done };
}

function readJson(dir: string) {
  return JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
}

/** Rewrites a saved model's weights (file and manifest) through `edit`, as another program might have written them. */
async function rewriteWeights(dir: string, edit: (entries: { name: string; tensor: tf.Tensor }[]) => { name: string; tensor: tf.Tensor }[]) {
  const json = readJson(dir);
  const [manifest] = json.weightsManifest;
  const bytes = readFileSync(join(dir, manifest.paths[0]));
  const decoded = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), manifest.weights);
  const entries = edit(Object.entries(decoded).map(([name, tensor]) => ({ name, tensor })));
  const { data, specs } = await tf.io.encodeWeights(entries);
  writeFileSync(join(dir, manifest.paths[0]), Buffer.from(data as ArrayBuffer));
  manifest.weights = specs;
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  tf.dispose([...Object.values(decoded), ...entries.map((e) => e.tensor)]);
}

/** Sets the plugin version model.json says saved it. */
function setSavedVersion(dir: string, version: string) {
  const json = readJson(dir);
  json.nnkit.pluginVersion = version;
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
}

async function expectSamePredictions(a: Mlp, b: Mlp, inputs: tf.Tensor) {
  const [expected, actual] = [a.predict(inputs), b.predict(inputs)];
  expect(Array.from(await actual.data())).toEqual(Array.from(await expected.data()));
  tf.dispose([expected, actual]);
}

describe('saveModel and loadModel', () => {
  it('round-trip: the loaded model predicts exactly as the saved one, from the same config', async () => {
    const { kit, instance, data, dir, done } = await trainedModel();
    await saveModel(dir, instance, { vocabulary: ['a', 'b'], metrics: { loss: 0.5 }, dataset: { key: 'toy/circles' } });
    const before = tf.memory().numTensors;
    const { instance: loaded, metadata } = await loadModel<Mlp>(kit, dir);
    expect(metadata).toMatchObject({ model: 'toy/mlp', plugin: 'mlp-plugin', pluginVersion: '2.0.0', config: { hidden: 6 }, vocabulary: ['a', 'b'], dataset: { key: 'toy/circles' } });
    expect(loaded.config).toEqual({ hidden: 6 });
    await expectSamePredictions(instance.model, loaded.model, data.validation!.xs);
    expect(await weightValues(loaded.model)).toEqual(await weightValues(instance.model));
    loaded.model.dispose!();
    expect(tf.memory().numTensors).toBe(before);
    done();
  });

  it("writes tfjs's format: plain tfjs decodes the weights, by their stable names, from model.json's manifest", async () => {
    const { instance, dir, done } = await trainedModel();
    await saveModel(dir, instance);
    const json = readJson(dir);
    const [manifest] = json.weightsManifest;
    const bytes = readFileSync(join(dir, manifest.paths[0]));
    const decoded = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), manifest.weights);
    expect(Object.keys(decoded)).toEqual([...MLP_WEIGHTS]);
    for (const [name, variable] of Object.entries(instance.model.weights)) {
      expect(Array.from(await decoded[name]!.data()), name).toEqual(Array.from(await variable.data()));
    }
    tf.dispose(Object.values(decoded));
    done();
  });

  it('keeps the previous model whole until the new one is complete, and leaves one weights file', async () => {
    const { instance, data, dir, done } = await trainedModel();
    await saveModel(dir, instance);
    const firstJson = readFileSync(join(dir, 'model.json'), 'utf8');
    await train({ model: instance.model, data, epochs: 1, batchSize: 16 });
    await saveModel(dir, instance);
    expect(readFileSync(join(dir, 'model.json'), 'utf8')).not.toBe(firstJson);
    expect(readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    done();
  });

  it('refuses a missing, corrupt or truncated save with a DataError that says what is wrong', async () => {
    const { kit, instance, dir, done } = await trainedModel();
    const empty = mkdtempSync(join(tmpdir(), 'nnkit-model-'));
    await expect(loadModel(kit, empty)).rejects.toThrow(/expects .*model\.json, got no such file/);

    await saveModel(dir, instance);
    const weights = readdirSync(dir).find((f) => f.endsWith('.bin'))!;
    truncateSync(join(dir, weights), 10);
    const truncated = await loadModel(kit, dir).catch((e: unknown) => e);
    expect(truncated).toBeInstanceOf(DataError);
    expect((truncated as Error).message).toMatch(/bytes .* got 10 \(truncated or replaced\)/);

    writeFileSync(join(dir, 'model.json'), '{ not json');
    await expect(loadModel(kit, dir)).rejects.toThrow(/to be JSON/);
    done();
  });

  it('refuses weights saved from another config', async () => {
    const { kit, instance, dir, done } = await trainedModel();
    await saveModel(dir, instance);
    const json = readJson(dir);
    json.nnkit.config.hidden = 7;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    const before = tf.memory().numTensors;
    const error = await loadModel(kit, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as Error).message).toMatch(/weight 'hidden\/kernel' expects shape \[2,7\], got \[2,6\]/);
    expect(tf.memory().numTensors).toBe(before); // the model it made for the config is freed
    done();
  });
});

describe('saved weights matched by name', () => {
  it('loads a model whose file lists the weights in another order', async () => {
    const { kit, instance, data, dir, done } = await trainedModel();
    await saveModel(dir, instance);
    await rewriteWeights(dir, (entries) => entries.reverse().map(({ name, tensor }) => ({ name, tensor: tensor.clone() })));
    expect(readJson(dir).weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual([...MLP_WEIGHTS].reverse());
    const { instance: loaded } = await loadModel<Mlp>(kit, dir);
    await expectSamePredictions(instance.model, loaded.model, data.validation!.xs);
    loaded.model.dispose!();
    done();
  });

  it('refuses a model that lacks a weight, or holds one the model does not have, naming them', async () => {
    const { kit, instance, dir, done } = await trainedModel();
    await saveModel(dir, instance);
    const before = tf.memory().numTensors;
    await rewriteWeights(dir, (entries) => entries.filter((e) => e.name !== 'output/kernel').map(({ name, tensor }) => ({ name, tensor: tensor.clone() })));
    const missing = await loadModel(kit, dir).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ShapeError);
    expect((missing as Error).message).toContain("expects the weights 'hidden/kernel', 'hidden/bias', 'output/kernel', got none for 'output/kernel'");

    await saveModel(dir, instance);
    await rewriteWeights(dir, (entries) => [...entries.map(({ name, tensor }) => ({ name, tensor: tensor.clone() })), { name: 'extra/bias', tensor: tf.zeros([2]) }]);
    const unexpected = await loadModel(kit, dir).catch((e: unknown) => e);
    expect(unexpected).toBeInstanceOf(ShapeError);
    expect((unexpected as Error).message).toContain("got unexpected 'extra/bias'");
    expect(tf.memory().numTensors).toBe(before); // each model made for loading is freed again
    done();
  });

  it('saves and loads frozen weights with the others', async () => {
    const { kit, instance, initial, dir, done } = await trainedModel({ freeze: ['hidden/'] });
    const trained = await weightValues(instance.model);
    expect(trained['hidden/kernel']).toEqual(initial['hidden/kernel']);
    expect(trained['output/kernel']).not.toEqual(initial['output/kernel']);
    await saveModel(dir, instance);
    expect(readJson(dir).weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual([...MLP_WEIGHTS]);
    const { instance: loaded } = await loadModel<Mlp>(kit, dir);
    expect(await weightValues(loaded.model)).toEqual(trained);
    loaded.model.dispose!();
    done();
  });
});

describe('models saved by other versions of their plugin', () => {
  it('loads a model saved by another 1.x version into a 1.x plugin', async () => {
    const { kit, instance, data, dir, done } = await trainedModel({ plugin: mlpPlugin('1.4.0') });
    await saveModel(dir, instance);
    expect(readJson(dir).nnkit.pluginVersion).toBe('1.4.0');
    for (const version of ['1.2.0', '1.9.3']) {
      setSavedVersion(dir, version);
      const { instance: loaded, metadata } = await loadModel<Mlp>(kit, dir);
      expect(metadata.pluginVersion).toBe(version);
      await expectSamePredictions(instance.model, loaded.model, data.validation!.xs);
      loaded.model.dispose!();
    }
    done();
  });

  it('refuses a model saved by 2.0.0 with IncompatiblePluginError naming both versions', async () => {
    const { kit, instance, dir, done } = await trainedModel({ plugin: mlpPlugin('1.4.0') });
    await saveModel(dir, instance);
    setSavedVersion(dir, '2.0.0');
    const before = tf.memory().numTensors;
    const error = await loadModel(kit, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompatiblePluginError);
    expect(error).toMatchObject({ code: 'NNKIT_INCOMPATIBLE_PLUGIN', plugin: 'mlp-plugin' });
    expect((error as Error).message).toContain("written by 'mlp-plugin' 2.0.0");
    expect((error as Error).message).toContain("'mlp-plugin' 1.4.0");
    expect((error as Error).message).toContain("Install 'mlp-plugin'@2.0.0");
    expect(tf.memory().numTensors).toBe(before); // refused before any model was made
    done();
  });

  it("loads what meta.loads admits: a 1.x plugin that declares it can read 2.x models", async () => {
    const { instance, data, dir, done } = await trainedModel({ plugin: mlpPlugin('1.4.0') });
    await saveModel(dir, instance);
    setSavedVersion(dir, '2.0.0');
    const wider = await kitWith(mlpPlugin('1.4.0', '>=1.0.0 <3.0.0'));
    const { instance: loaded } = await loadModel<Mlp>(wider, dir);
    await expectSamePredictions(instance.model, loaded.model, data.validation!.xs);
    loaded.model.dispose!();
    // A range that leaves out the saving version refuses it, naming the range.
    setSavedVersion(dir, '0.9.0');
    await expect(loadModel(wider, dir)).rejects.toThrow(/loads only models saved by >=1\.0\.0 <3\.0\.0/);
    done();
  });
});
