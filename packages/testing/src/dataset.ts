import * as tf from '@tensorflow/tfjs';
import { type Kit, type SequencePairCorpus, type SupervisedData, type TaskDefinition, type TokenCorpus } from '@nnkit/core';
import { useBackend } from '@nnkit/backends';
import { beforeAll, describe, expect, it } from 'vitest';
import { conformanceKit, type PluginList } from './kit.js';
import { expectNoLeaks } from './leaks.js';

export interface DatasetConformanceOptions {
  /** The plugin that registers the dataset, and any it depends on. */
  readonly plugins: PluginList;
  /** Options for `load()`: small sizes keep the suite quick. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Splits the dataset must give (default: train; validation and test are checked where present). */
  readonly splits?: readonly ('train' | 'validation' | 'test')[];
}

type Split = 'train' | 'validation' | 'test';
const SPLITS: readonly Split[] = ['train', 'validation', 'test'];

/** The whole of a load as plain values (tensors as their shape and values), to compare two loads of any kind. */
async function snapshot(value: unknown, depth = 0): Promise<unknown> {
  if (value instanceof tf.Tensor) return { shape: value.shape, values: Array.from(await value.data()) };
  if (ArrayBuffer.isView(value)) return value instanceof DataView ? [] : Array.from(value as unknown as ArrayLike<number>);
  if (typeof value === 'function' || depth > 8) return undefined;
  if (value instanceof Map) return snapshot([...value.entries()], depth + 1);
  if (Array.isArray(value)) return Promise.all(value.map((item) => snapshot(item, depth + 1)));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      await Promise.all(Object.entries(value).map(async ([name, item]) => [name, await snapshot(item, depth + 1)])),
    );
  }
  return value;
}

/**
 * The task whose kind of data a load is: the one the dataset names (`DatasetDefinition.task`), else a registered task
 * that accepts it. Undefined when none does.
 */
function taskOf(kit: Kit, key: string, data: unknown): TaskDefinition | undefined {
  const named = kit.registry.datasets.get(key).task;
  if (named !== undefined) return kit.registry.tasks.get(named) as TaskDefinition;
  return kit.registry.tasks
    .list()
    .map((entry) => entry.value as TaskDefinition)
    .find((task) => task.accepts(data));
}

/** The tensors a load holds, found wherever it keeps them (splits, features, images): at most three levels down. */
function tensorsOf(data: unknown, depth = 0): tf.Tensor[] {
  if (data instanceof tf.Tensor) return [data];
  if (depth > 3 || data === null || typeof data !== 'object' || ArrayBuffer.isView(data)) return [];
  return Object.values(data as Record<string, unknown>).flatMap((value) => tensorsOf(value, depth + 1));
}

/**
 * Checks a registered dataset against nnkit's data contracts, in one line of a test file:
 *
 * ```ts
 * testDataset('gru/parity-bits', { plugins: [gru()], options: { examples: 64 } });
 * ```
 *
 * It knows three shapes a `load()` returns in detail: examples (`{ train: { xs, ys }, validation?, test?, dispose }`),
 * a token corpus (Int32Array splits and a vocabulary) and sequence pairs; any other kind of data (a plugin's own) is
 * checked through its task, the one the dataset names (`DatasetDefinition.task`) or a registered one that accepts it.
 * What it checks: the splits are there; the task the dataset names accepts what it loads; in each split, xs and ys
 * hold as many examples, token ids index the vocabulary, pairs are non-empty id lists inside theirs; every split has
 * the same example shape; the same options load the same data; each load has tensors of its own (disposing one
 * leaves another usable); disposing (its own `dispose()`, else its task's) frees every tensor.
 */
export function testDataset(key: string, options: DatasetConformanceOptions): void {
  let kit: Kit;
  const load = () => kit.loadDataset<unknown>(key, options.options ?? {});
  const required = options.splits ?? ['train'];
  /** Frees a load: its own dispose(), else its task's (a load of plain arrays has nothing to free). */
  const dispose = (data: unknown) => {
    const own = (data as { dispose?: () => void } | undefined)?.dispose;
    if (typeof own === 'function') own.call(data);
    else taskOf(kit, key, data)?.dispose?.(data);
  };

  describe(`dataset ${key}: nnkit conformance`, () => {
    beforeAll(async () => {
      kit = await conformanceKit(options.plugins);
      await useBackend('cpu');
    });

    it('gives its splits, each well formed: xs and ys of as many examples, ids inside their vocabulary', async () => {
      const data = await load();
      for (const split of required) expect((data as Record<string, unknown>)?.[split], `split '${split}'`).toBeDefined();
      const task = taskOf(kit, key, data);
      const named = kit.registry.datasets.get(key).task;
      if (named !== undefined)
        expect(task!.accepts(data), `'${key}' names the task '${named}', whose accepts() refuses what load() gave`).toBe(true);
      if ((data as SequencePairCorpus)?.kind === 'sequence-pairs') {
        const pairs = data as SequencePairCorpus;
        const [sources, targets] = [pairs.sourceVocabulary.tokens.length, pairs.targetVocabulary.tokens.length];
        expect(pairs.targetVocabulary.tokens.slice(0, 4), 'ids 0–3 of a symbol vocabulary').toEqual(['<pad>', '<s>', '</s>', '<unk>']);
        for (const split of SPLITS) {
          for (const [i, example] of pairs[split].entries()) {
            expect(example.source.length, `${split}[${i}].source`).toBeGreaterThan(0);
            expect(
              example.source.every((id) => Number.isInteger(id) && id >= 0 && id < sources),
              `${split}[${i}].source ids < ${sources}`,
            ).toBe(true);
            expect(example.targets.length, `${split}[${i}].targets`).toBeGreaterThan(0);
            for (const target of example.targets)
              expect(
                target.every((id) => Number.isInteger(id) && id >= 0 && id < targets),
                `${split}[${i}] target ids < ${targets}`,
              ).toBe(true);
          }
        }
      } else if ((data as TokenCorpus)?.train instanceof Int32Array) {
        const tokens = data as TokenCorpus;
        const size = tokens.vocabulary.tokens.length;
        for (const split of SPLITS) {
          const ids = tokens[split];
          if (!ids) continue;
          expect(ids.length, `${split}: tokens`).toBeGreaterThan(0);
          expect(
            ids.every((id) => id >= 0 && id < size),
            `${split}: every id < the vocabulary's ${size}`,
          ).toBe(true);
        }
      } else if (!((data as SupervisedData)?.train?.xs instanceof tf.Tensor) && task) {
        // Another kind of data (a plugin's own): its task says what it holds and which splits have examples.
        const splits = task.splits(data);
        for (const split of required) expect(splits, `the splits of '${key}' that ${task.name} finds examples in`).toContain(split);
        dispose(data);
      } else {
        const supervised = data as SupervisedData;
        expect(
          supervised?.train?.xs,
          `'${key}' expects load() to return examples ({ train: { xs, ys } }), a token corpus, sequence pairs or the data of a registered task`,
        ).toBeInstanceOf(tf.Tensor);
        const shape = (t: tf.Tensor) => t.shape.slice(1);
        for (const split of SPLITS) {
          const examples = supervised[split];
          if (!examples) continue;
          expect(examples.xs.shape[0], `${split}: examples`).toBeGreaterThan(0);
          expect(examples.ys.shape[0], `${split}: ys holds one row per example of xs`).toBe(examples.xs.shape[0]);
          expect(shape(examples.xs), `${split}: the shape of one example is the train split's`).toEqual(shape(supervised.train.xs));
          expect(shape(examples.ys), `${split}: the shape of one target is the train split's`).toEqual(shape(supervised.train.ys));
          for (const t of [examples.xs, examples.ys])
            expect(Array.from(await t.data()).every(Number.isFinite), `${split}: finite values`).toBe(true);
        }
        supervised.dispose();
      }
    });

    it('loads the same data from the same options', async () => {
      const [a, b] = [await load(), await load()];
      expect(
        await snapshot(b),
        `two loads of '${key}' with the same options gave different data: generate from a seed in the options (mulberry32), not Math.random() or the clock`,
      ).toEqual(await snapshot(a));
      for (const data of [a, b]) dispose(data);
    });

    it('gives each load its own tensors: disposing one load leaves another usable', async () => {
      const [a, b] = [await load(), await load()];
      dispose(a);
      const freed = tensorsOf(b).filter((t) => t.isDisposed).length;
      expect(
        freed,
        `disposing one load of '${key}' disposed ${freed} tensor(s) of another load: load() must make new tensors (or tf.clone() cached ones) for every caller`,
      ).toBe(0);
      dispose(b);
    });

    it('frees every tensor it made when disposed', async () => {
      await load().then(dispose);
      await expectNoLeaks(async () => dispose(await load()), `loading and disposing ${key}`);
    });
  });
}
