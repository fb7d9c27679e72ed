import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DataError, defineModel, definePlugin, field } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import { describe, expect, it } from 'vitest';
import { mlp, mlpModel, type Mlp } from './mlp.fixture.js';
import { loadModel, saveModel } from './save-load.js';

const plugin = definePlugin({
  meta: { name: 'mlp-plugin', version: '2.0.0', namespace: 'toy', nnkit: '^2.0.0' },
  models: [
    mlpModel,
    defineModel({
      name: 'other',
      description: 'another model',
      config: { depth: field.integer({ default: 2, min: 1, description: 'layers' }) },
      create: () => mlp(1),
    }),
  ],
});

async function saved() {
  const kit = await createKit({ plugins: [plugin], backend: 'cpu', progress: silentProgress() });
  const instance = await kit.createModel<Mlp>('toy/mlp', { config: { hidden: 4 } });
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-model-safety-'));
  await saveModel(dir, instance);
  const path = join(dir, 'model.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as {
    nnkit: Record<string, unknown>;
    weightsManifest: { weights: { name: string; dtype: string }[] }[];
  };
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
    expect((other as Error).message).toMatch(
      new RegExp(
        `^loadModel expects the field nnkit\\.config of ${path} to be a config of 'toy/other', got one it refuses: .*'hidden'.* Was the file edited, or copied from another model\\?`,
      ),
    );
    edit((j) => (j.nnkit.model = 'toy/nope'));
    await expect(loadModel(kit, dir)).rejects.toThrow(
      `loadModel expects the field nnkit.model of ${path} to name a registered model, got 'toy/nope'. Load the plugin`,
    );
    instance.model.dispose!();
  });

  it("a weight whose dtype is not the model's: names the weight, and leaves the model's weights alone", async () => {
    const { kit, instance, dir, edit } = await saved();
    edit((j) => (j.weightsManifest[0]!.weights[1]!.dtype = 'int32'));
    const before = tf.memory().numTensors;
    const error = await loadModel(kit, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toBe(
      `Saved model ${dir}: weight 'hidden/bias' expects dtype float32, got int32. The file's weights manifest was edited or written by another program; restore it or retrain.`,
    );
    expect(tf.memory().numTensors).toBe(before);
    instance.model.dispose!();
  });
});

describe('loadModel: a model.json that is not an nnkit model, or not JSON, is said in words', () => {
  it('null, an empty object, an array or another format: names what it got, never "format undefined"', async () => {
    const { kit, instance, path, dir } = await saved();
    for (const [text, got] of [
      ['null', 'null'],
      ['{}', 'an empty object'],
      ['{"a": 1}', "an object without 'format'"],
      ['[1]', 'an array'],
      ['{"format": "x"}', 'format "x"'],
      ['{"format": "nnkit-model"}', "no metadata under 'nnkit'"],
    ] as const) {
      writeFileSync(path, text);
      const error = await loadModel(kit, dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataError);
      expect((error as Error).message).toContain(
        `loadModel expects ${path} to be an nnkit model (an object with format 'nnkit-model' and its metadata under 'nnkit'), got ${got}. Is ${dir} a folder`,
      );
      expect((error as Error).message).not.toMatch(/undefined/);
    }
    instance.model.dispose!();
  });

  it("a BOM is accepted; truncated JSON is named by line and column, not by V8's position", async () => {
    const { kit, instance, path, dir } = await saved();
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, `\ufeff${original}`);
    const loaded = await loadModel<Mlp>(kit, dir);
    expect(loaded.metadata.model).toBe('toy/mlp');
    loaded.instance.model.dispose!();
    writeFileSync(path, original.slice(0, 30));
    const error = await loadModel(kit, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(
      new RegExp(`^loadModel expects ${path} to be JSON, got not JSON \\(.* at line \\d+, column \\d+\\)\\. The file is damaged`),
    );
    expect((error as Error).message).not.toMatch(/position/);
    instance.model.dispose!();
  });

  it('a shape edited in the manifest names the weight and both shapes, before the weights file is blamed; nothing leaks', async () => {
    const { kit, instance, path, dir, edit } = await saved();
    edit((j) => ((j.weightsManifest[0]!.weights[0] as unknown as { shape: number[] }).shape = [3, 3]));
    const before = tf.memory().numTensors;
    const error = await loadModel(kit, dir).catch((e: unknown) => e);
    const name = Object.keys(instance.model.weights)[0]!;
    const shape = instance.model.weights[name]!.shape.join(', ');
    expect((error as Error).message).toBe(
      `loadModel expects weight '${name}' of ${path} to have the model's shape [${shape}], got [3, 3] in its weights manifest. Was the file edited, or saved from another config? Restore it or retrain.`,
    );
    expect((error as Error).message).not.toMatch(/truncated/);
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
