import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { type SupervisedData } from '@nnkit/core';
import { createKit, memoryStorage, silentProgress } from '@nnkit/kit';
import { loadModel, saveModel, train, type TrainOptions } from '@nnkit/train';
import gru, { type ParityClassifier } from 'nnkit-plugin-gru';

describe('an application that swaps storage for an in-memory one in its tests', () => {
  it('trains with checkpoints, saves, resumes and loads the model back, and nothing is written to disk', async () => {
    const storage = memoryStorage();
    const kit = await createKit({ plugins: [gru()], backend: 'cpu', progress: silentProgress(), storage });
    expect(kit.storage).toBe(storage);
    // The paths the app uses lie in a real, empty folder: it must stay empty.
    const root = mkdtempSync(join(tmpdir(), 'nnkit-memory-storage-'));
    const out = join(root, 'parity');
    const data = await kit.loadDataset<SupervisedData>('gru/parity-bits', { examples: 64, length: 6 });
    const instance = await kit.createModel<ParityClassifier>('gru/parity', { preset: 'tiny' });
    const before = tf.memory().numTensors;
    const run = (epochs: number, resume: boolean): TrainOptions => ({
      model: instance.model,
      data,
      epochs,
      batchSize: 16,
      optimizer: { name: 'adam', learningRate: 0.02 },
      checkpoint: { dir: join(out, 'checkpoints'), storage: kit.storage },
      resume,
      seed: kit.random.derive('train/gru/parity'),
      progress: kit.progress,
    });

    const first = await train(run(2, false));
    expect(first.steps).toBe(8);
    const resumed = await train(run(3, true));
    expect(resumed).toMatchObject({ steps: 12, resumedFrom: 8 });
    // saveModel writes where the kit that made the model keeps things: no storage option needed.
    const saved = await saveModel(out, instance, { steps: resumed.steps, metrics: resumed.history.at(-1)!.metrics });
    expect(saved).toBe(join(out, 'model.json'));
    expect(tf.memory().numTensors).toBe(before);

    // loadModel reads from the kit's storage: the same predictions, bit for bit.
    const { instance: loaded, metadata } = await loadModel<ParityClassifier>(kit, out);
    expect(metadata).toMatchObject({ model: 'gru/parity', steps: 12 });
    const bits = data.validation!.xs;
    const [expected, actual] = [instance.model.predict(bits), loaded.model.predict(bits)];
    expect(Array.from(await actual.data())).toEqual(Array.from(await expected.data()));
    tf.dispose([expected, actual]);
    loaded.model.dispose?.();

    const names = [...storage.files.keys()].map((path) => path.slice(out.length + 1)).sort();
    expect(names.filter((name) => !name.startsWith('weights-'))).toEqual([
      'checkpoints/best.ckpt',
      'checkpoints/step-000000004.ckpt',
      'checkpoints/step-000000008.ckpt',
      'checkpoints/step-000000012.ckpt',
      'model.json',
    ]);
    expect(names.filter((name) => /^weights-[0-9a-f]{16}\.bin$/.test(name))).toHaveLength(1);
    expect(readdirSync(root)).toEqual([]);
    // A kit on the file system finds nothing there.
    const onDisk = await createKit({ plugins: [gru()], backend: 'cpu', progress: silentProgress() });
    await expect(loadModel(onDisk, out)).rejects.toThrow(`loadModel expects ${join(out, 'model.json')}, got no such file.`);
    instance.model.dispose?.();
    data.dispose();
  });
});
