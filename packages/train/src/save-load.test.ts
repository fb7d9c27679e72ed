import { mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createKit, DataError, defineModel, definePlugin, field, silentProgress, type Kit } from '@nnkit/core';
import { describe, expect, it } from 'vitest';
import { circlesData, mlp, type Mlp } from './mlp.fixture.js';
import { loadModel, saveModel } from './save-load.js';
import { train } from './train.js';

const plugin = definePlugin({
  meta: { name: 'mlp-plugin', version: '2.0.0', namespace: 'toy', nnkit: '^1.0.0' },
  models: [
    defineModel({
      name: 'mlp',
      description: 'a small MLP',
      config: { hidden: field.integer({ default: 8, min: 1, description: 'hidden units' }) },
      create: (c, { kit }) => mlp(kit.random.derive('mlp'), c.hidden),
    }),
  ],
});

/** A kit with the MLP plugin, a trained MLP, its data and an empty folder; `done()` frees the tensors. */
async function trainedModel() {
  const kit: Kit = await createKit({ plugins: [plugin], backend: 'cpu', progress: silentProgress() });
  const instance = await kit.createModel<Mlp>('toy/mlp', { config: { hidden: 6 } });
  const data = circlesData(64);
  await train({ model: instance.model, data, epochs: 3, batchSize: 16 });
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-model-'));
  const done = () => {
    instance.model.dispose!();
    data.dispose();
  };
  return { kit, instance, data, dir, done };
}

describe('saveModel and loadModel', () => {
  it('round-trip: the loaded model predicts exactly as the saved one, from the same config', async () => {
    const { kit, instance, data, dir, done } = await trainedModel();
    await saveModel(dir, instance, { vocabulary: ['a', 'b'], metrics: { loss: 0.5 }, dataset: { key: 'toy/circles' } });
    const before = tf.memory().numTensors;
    const { instance: loaded, metadata } = await loadModel<Mlp>(kit, dir);
    expect(metadata).toMatchObject({ model: 'toy/mlp', plugin: 'mlp-plugin', config: { hidden: 6 }, vocabulary: ['a', 'b'], dataset: { key: 'toy/circles' } });
    expect(loaded.config).toEqual({ hidden: 6 });
    const expected = instance.model.predict(data.validation!.xs);
    const actual = loaded.model.predict(data.validation!.xs);
    expect(Array.from(await actual.data())).toEqual(Array.from(await expected.data()));
    tf.dispose([expected, actual]);
    loaded.model.dispose!();
    expect(tf.memory().numTensors).toBe(before);
    done();
  });

  it("writes tfjs's format: plain tfjs decodes the weights from model.json's manifest", async () => {
    const { instance, dir, done } = await trainedModel();
    await saveModel(dir, instance);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const [manifest] = json.weightsManifest;
    const bytes = readFileSync(join(dir, manifest.paths[0]));
    const decoded = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), manifest.weights);
    const names = Object.keys(decoded);
    expect(names).toHaveLength(3);
    for (const [i, variable] of instance.model.trainableWeights.entries()) {
      expect(Array.from(await decoded[names[i]!]!.data())).toEqual(Array.from(await variable.data()));
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
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    json.nnkit.config.hidden = 7;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadModel(kit, dir)).rejects.toThrow(/expects shape \[2,7\], got \[2,6\]/);
    done();
  });
});
