import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createKit, DataError, defineModel, definePlugin, field, silentProgress } from '@nnkit/core';
import { describe, expect, it } from 'vitest';
import { mlp, type Mlp } from './mlp.fixture.js';
import { loadModel, saveModel } from './save-load.js';

const plugin = definePlugin({
  meta: { name: 'mlp-plugin', version: '2.0.0', namespace: 'toy', nnkit: '^2.0.0' },
  models: [
    defineModel({
      name: 'mlp',
      description: 'a small MLP',
      config: { hidden: field.integer({ default: 8, min: 1, description: 'hidden units' }) },
      create: (c, { kit }) => mlp(kit.random.derive('mlp'), c.hidden),
    }),
    defineModel({ name: 'other', description: 'another model', config: { depth: field.integer({ default: 2, min: 1, description: 'layers' }) }, create: () => mlp(1) }),
  ],
});

async function saved() {
  const kit = await createKit({ plugins: [plugin], backend: 'cpu', progress: silentProgress() });
  const instance = await kit.createModel<Mlp>('toy/mlp', { config: { hidden: 4 } });
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-model-safety-'));
  await saveModel(dir, instance);
  const path = join(dir, 'model.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as { nnkit: Record<string, unknown>; weightsManifest: { weights: { name: string; dtype: string }[] }[] };
  const edit = (change: (j: typeof json) => void) => {
    const copy = structuredClone(json);
    change(copy);
    writeFileSync(path, JSON.stringify(copy));
  };
  return { kit, instance, dir, path, edit };
}

describe('loadModel: a model.json edited or copied names what is wrong', () => {
  it('a model of another kind, or one not registered: names the file and the field', async () => {
    const { kit, instance, path, dir, edit } = await saved();
    edit((j) => (j.nnkit.model = 'toy/other'));
    const other = await loadModel(kit, dir).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(DataError);
    expect((other as Error).message).toMatch(new RegExp(`^loadModel expects the field nnkit\\.config of ${path} to be a config of 'toy/other', got one it refuses: .*'hidden'.* Was the file edited, or copied from another model\\?`));
    edit((j) => (j.nnkit.model = 'toy/nope'));
    await expect(loadModel(kit, dir)).rejects.toThrow(`loadModel expects the field nnkit.model of ${path} to name a registered model, got 'toy/nope'. Load the plugin`);
    instance.model.dispose!();
  });

  it("a weight whose dtype is not the model's: names the weight, and leaves the model's weights alone", async () => {
    const { kit, instance, dir, edit } = await saved();
    edit((j) => (j.weightsManifest[0]!.weights[1]!.dtype = 'int32'));
    const before = tf.memory().numTensors;
    const error = await loadModel(kit, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toBe(`Saved model ${dir}: weight 'hidden/bias' expects dtype float32, got int32. The file's weights manifest was edited or written by another program; restore it or retrain.`);
    expect(tf.memory().numTensors).toBe(before);
    instance.model.dispose!();
  });
});

describe('saveModel: what a killed save left is removed by the next', () => {
  it('removes orphan weights files and dead temporaries, with a note, and keeps what the new model.json names', async () => {
    const { kit, instance, dir } = await saved();
    const dead = Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());
    writeFileSync(join(dir, 'weights-00000000000000aa.bin'), 'orphan');
    writeFileSync(join(dir, `.model.json.tmp-${dead}-1-x`), '{');
    writeFileSync(join(dir, `.nnkit-lock.${dead}-y`), '');
    const notes: string[] = [];
    await saveModel(dir, instance, { onNote: (line) => notes.push(line) });
    expect(readdirSync(dir).filter((f) => f !== 'model.json')).toEqual([expect.stringMatching(/^weights-[0-9a-f]{16}\.bin$/)]);
    expect(notes).toEqual([
      expect.stringMatching(/^removed 2 file\(s\) from .* that a killed process left mid-write: /),
      `removed 1 file(s) from ${dir} that no model.json names (a save was interrupted): weights-00000000000000aa.bin`,
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).nnkit.onNote).toBeUndefined();
    const { instance: loaded } = await loadModel(kit, dir);
    loaded.model.dispose!();
    instance.model.dispose!();
  });
});
