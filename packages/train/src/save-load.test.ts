import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { DataError, definePlugin, IncompatiblePluginError, ShapeError, type Kit } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import { describe, expect, it } from 'vitest';
import { MLP_WEIGHTS, circlesData, mlpModel, weightValues, type Mlp } from './mlp.fixture.js';
import { loadModel, saveModel } from './save-load.js';
import { train } from './train.js';

/** The MLP as a plugin, at a given version and with a given range of versions whose saved models it loads. */
const mlpPlugin = (version = '2.0.0', loads?: string) =>
  definePlugin({
    meta: { name: 'mlp-plugin', version, namespace: 'toy', nnkit: '^2.0.0', ...(loads !== undefined && { loads }) },
    models: [mlpModel],
  });

const kitWith = (plugin = mlpPlugin()): Promise<Kit> => createKit({ plugins: [plugin], backend: 'cpu', progress: silentProgress() });

/** A kit with the MLP plugin, a trained MLP, its data and an empty folder; `done()` frees the tensors. */
async function trainedModel(options: { plugin?: ReturnType<typeof mlpPlugin>; freeze?: string[] } = {}) {
  const kit = await kitWith(options.plugin);
  const instance = await kit.createModel<Mlp>('toy/mlp', { config: { hidden: 6 } });
  const initial = await weightValues(instance.model);
  const data = circlesData(64);
  await train({
    model: instance.model,
    data,
    epochs: 3,
    batchSize: 16,
    ...(options.freeze && { freeze: options.freeze }),
  });
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-model-'));
  const done = () => {
    instance.model.dispose!();
    data.dispose();
  };
  return { kit, instance, initial, data, dir, done };
}

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * A process that saves a one-weight model 50 times into a folder, other weights each time, from a given time on
 * (argv: folder, id, time). After each save it checks that model.json names a file that is there (read again when
 * model.json changed meanwhile), and exits with 1 if not.
 */
const SAVE_CHILD = `
  import { existsSync, readFileSync } from 'node:fs';
  import { join } from 'node:path';
  import * as tf from '@tensorflow/tfjs';
  const { saveModel } = await import(new URL('dist/index.js', 'file://' + process.cwd() + '/').href);
  const [dir, id, startAt] = process.argv.slice(1);
  await tf.setBackend('cpu');
  await new Promise((resolve) => setTimeout(resolve, Number(startAt) - Date.now()));
  for (let i = 0; i < 50; i++) {
    const w = tf.variable(tf.fill([256], Number(id) * 1000 + i));
    await saveModel(dir, { model: { weights: { w } }, owner: 'toy', ownerVersion: '1.0.0', key: 'toy/w', config: {} });
    w.dispose();
    const named = () => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0].paths[0];
    for (let file = named(); !existsSync(join(dir, file)); file = named()) {
      if (named() === file) {
        console.error('model.json names ' + file + ', which is gone');
        process.exit(1);
      }
    }
  }
`;

/** Runs a command to its end and collects what it printed. */
function run(command: string, args: readonly string[], options: { cwd: string }): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function readJson(dir: string) {
  return JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
}

/** Rewrites a saved model's weights (file and manifest) through `edit`, as another program might have written them. */
async function rewriteWeights(
  dir: string,
  edit: (entries: { name: string; tensor: tf.Tensor }[]) => { name: string; tensor: tf.Tensor }[],
) {
  const json = readJson(dir);
  const [manifest] = json.weightsManifest;
  const bytes = readFileSync(join(dir, manifest.paths[0]));
  const decoded = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), manifest.weights);
  const entries = edit(Object.entries(decoded).map(([name, tensor]) => ({ name, tensor })));
  const { data, specs } = await tf.io.encodeWeights(entries);
  // Named by its hash, as saveModel names it: loadModel checks the bytes against the name.
  const bytesOut = Buffer.from(data as ArrayBuffer);
  manifest.paths = [`weights-${createHash('sha256').update(bytesOut).digest('hex').slice(0, 16)}.bin`];
  writeFileSync(join(dir, manifest.paths[0]), bytesOut);
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
    expect(metadata).toMatchObject({
      model: 'toy/mlp',
      plugin: 'mlp-plugin',
      pluginVersion: '2.0.0',
      config: { hidden: 6 },
      vocabulary: ['a', 'b'],
      dataset: { key: 'toy/circles' },
    });
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

  it('verifies the weights against the hash in their name: a flipped byte or a NaN file is refused, naming the file', async () => {
    const { kit, instance, dir, done } = await trainedModel();
    await saveModel(dir, instance);
    const weights = readdirSync(dir).find((f) => f.endsWith('.bin'))!;
    const path = join(dir, weights);
    const good = readFileSync(path);
    const before = tf.memory().numTensors;
    const flipped = Buffer.from(good);
    flipped[5] = flipped[5]! ^ 0x01;
    writeFileSync(path, flipped);
    const damaged = await loadModel(kit, dir).catch((e: unknown) => e);
    expect(damaged).toBeInstanceOf(DataError);
    const actual = createHash('sha256').update(flipped).digest('hex').slice(0, 16);
    expect((damaged as Error).message).toBe(
      `loadModel expects ${path} to have the sha256 ${weights.slice(8, 24)}… of its name, got ${actual}…: the file is damaged; retrain or restore it.`,
    );
    writeFileSync(path, Buffer.from(new Float32Array(good.length / 4).fill(NaN).buffer));
    await expect(loadModel(kit, dir)).rejects.toThrow(/the file is damaged; retrain or restore it/);

    // NaN under a matching name (as a diverged run could have saved it before saveModel refused such weights).
    writeFileSync(path, good);
    await rewriteWeights(dir, (entries) =>
      entries.map(({ name, tensor }) => ({
        name,
        tensor: name === 'output/kernel' ? tf.fill(tensor.shape, NaN) : tensor.clone(),
      })),
    );
    const nan = await loadModel(kit, dir).catch((e: unknown) => e);
    expect(nan).toBeInstanceOf(DataError);
    expect((nan as Error).message).toMatch(
      /expects finite weights in .*weights-[0-9a-f]{16}\.bin, got NaN in 'output\/kernel' \(element 0\): the file is damaged/,
    );
    expect(tf.memory().numTensors).toBe(before);
    done();
  });

  it('refuses a malformed manifest with a DataError naming model.json, never a TypeError', async () => {
    const { kit, instance, dir, done } = await trainedModel();
    await saveModel(dir, instance);
    const saved = readJson(dir);
    const path = join(dir, 'model.json');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each edit damages model.json in its own way
    const edits: [string, (json: any) => void, RegExp][] = [
      ['an empty weightsManifest', (json) => (json.weightsManifest = []), /a weightsManifest of one weights file/],
      ['no weightsManifest', (json) => delete json.weightsManifest, /a weightsManifest of one weights file/],
      ['no paths', (json) => delete json.weightsManifest[0].paths, /a weightsManifest of one weights file/],
      [
        'a path out of the folder',
        (json) => (json.weightsManifest[0].paths = ['../elsewhere.bin']),
        /a weightsManifest of one weights file/,
      ],
      ['no weights', (json) => delete json.weightsManifest[0].weights, /expects a list of weights, got none/],
      [
        'a changed dtype',
        (json) => (json.weightsManifest[0].weights[0].dtype = 'float16'),
        /expects weight 0 as \{ name, shape, dtype: 'float32' or 'int32' \}, got .*float16/,
      ],
      ['a shape that is not numbers', (json) => (json.weightsManifest[0].weights[1].shape = ['x']), /expects weight 1 as/],
      ['no config', (json) => delete json.nnkit.config, /to hold the model's config, got undefined/],
      ['null', (json) => Object.keys(json).forEach((k) => delete json[k]), /to be an nnkit model/],
    ];
    const before = tf.memory().numTensors;
    for (const [what, edit, message] of edits) {
      const json = structuredClone(saved);
      edit(json);
      writeFileSync(path, JSON.stringify(json));
      const error = await loadModel(kit, dir).catch((e: unknown) => e);
      expect(error, what).toBeInstanceOf(DataError);
      expect((error as Error).message, what).toContain(path);
      expect((error as Error).message, what).toMatch(message);
    }
    writeFileSync(path, 'null');
    await expect(loadModel(kit, dir)).rejects.toBeInstanceOf(DataError);
    expect(tf.memory().numTensors).toBe(before);
    done();
  });

  it('refuses to save NaN weights, which no one could load, and leaves the folder as it was', async () => {
    const { instance, dir, done } = await trainedModel();
    const bias = instance.model.weights['output/kernel']! as tf.Variable;
    const kept = bias.clone();
    bias.assign(tf.fill(bias.shape, Infinity));
    await expect(saveModel(dir, instance)).rejects.toThrow(
      /saveModel expects finite weights, got Infinity in 'output\/kernel' \(element 0\)\. Training diverged/,
    );
    expect(readdirSync(dir)).toEqual([]);
    bias.assign(kept);
    kept.dispose();
    done();
  });

  it('two processes saving into one folder at once leave a model that loads, and one weights file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-concurrent-'));
    const startAt = String(Date.now() + 4000); // both ready by then: their saves overlap
    const savers = [1, 2].map((id) =>
      run(process.execPath, ['--input-type=module', '-e', SAVE_CHILD, dir, String(id), startAt], { cwd: PACKAGE_DIR }),
    );
    for (const result of await Promise.all(savers)) expect(result.code, result.stderr).toBe(0);
    const json = readJson(dir);
    const named = json.weightsManifest[0].paths[0];
    const bytes = readFileSync(join(dir, named));
    expect(named).toBe(`weights-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.bin`);
    expect(readdirSync(dir).filter((f) => f.endsWith('.bin'))).toEqual([named]);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]); // no lock or temporary file left
  }, 60_000);

  it('refuses weights saved from another config', async () => {
    const { kit, instance, dir, done } = await trainedModel();
    await saveModel(dir, instance);
    const json = readJson(dir);
    json.nnkit.config.hidden = 7;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    const before = tf.memory().numTensors;
    const error = await loadModel(kit, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShapeError);
    // Found in the manifest against the model the config makes, before the weights file is read.
    expect((error as Error).message).toMatch(
      /weight 'hidden\/kernel' of .*model\.json to have the model's shape \[2, 7\], got \[2, 6\] in its weights manifest\. Was the file edited, or saved from another config\?/,
    );
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
    await rewriteWeights(dir, (entries) =>
      entries.filter((e) => e.name !== 'output/kernel').map(({ name, tensor }) => ({ name, tensor: tensor.clone() })),
    );
    const missing = await loadModel(kit, dir).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ShapeError);
    expect((missing as Error).message).toContain(
      "expects the weights 'hidden/kernel', 'hidden/bias', 'output/kernel', got none for 'output/kernel'",
    );

    await saveModel(dir, instance);
    await rewriteWeights(dir, (entries) => [
      ...entries.map(({ name, tensor }) => ({ name, tensor: tensor.clone() })),
      { name: 'extra/bias', tensor: tf.zeros([2]) },
    ]);
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

  it('loads what meta.loads admits: a 1.x plugin that declares it can read 2.x models', async () => {
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
