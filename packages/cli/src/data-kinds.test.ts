import { ConfigError } from '@nnkit/core';
import { createKit, silentProgress } from '@nnkit/kit';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kit } from '@nnkit/core';
import { builtinPlugins } from './builtin-plugins.js';
import { taskHolding, taskKeyOf, taskOf, wrongKindOfData } from './data-kinds.js';

/** Token ids as a text dataset's load() gives them: nothing loaded from disk. */
const text = { train: new Int32Array([1, 2, 3]), vocabulary: { tokens: ['a', 'b', 'c', 'd'] } };

let kit: Kit;
beforeAll(async () => {
  kit = await createKit({ plugins: await builtinPlugins(), backend: 'cpu', progress: silentProgress() });
});

describe("a model's task", () => {
  it('is the one it names, else token streams for a BPTT model and labelled examples for the rest', () => {
    expect(taskKeyOf(kit.registry.models.get('seq2seq/translator'))).toBe('tasks/sequence-pairs');
    expect(taskKeyOf(kit.registry.models.get('lstm/lm'))).toBe('tasks/token-streams'); // inherited from rnn-lm/lm
    expect(
      taskKeyOf({ training: { bptt: { k1: 5, k2: 5, streams: 2 } } }), // a model written before tasks, trained with BPTT
    ).toBe('tasks/token-streams');
    expect(taskKeyOf(undefined)).toBe('tasks/labelled-images');
    expect(taskOf(kit, kit.registry.models.get('captioner/captioner')).holds).toBe('captioned images');
  });

  it("is found for data by its dataset's task first, else by any task that accepts it", () => {
    expect(taskHolding(kit, 'datasets/moby-dick', text)?.name).toBe('token-streams');
    expect(taskHolding(kit, 'nowhere/else', text)?.name).toBe('token-streams');
    expect(taskHolding(kit, 'datasets/moby-dick', { something: 'else' })).toBeUndefined();
  });
});

describe('a dataset of another kind', () => {
  it("is refused naming what the model takes, its own dataset, what the data holds, the datasets of the model's kind and the models of the data's", () => {
    const error = wrongKindOfData(kit, 'lenet5/lenet5', taskOf(kit, kit.registry.models.get('lenet5/lenet5')), 'datasets/moby-dick', text);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      "lenet5/lenet5 expects a dataset of examples (inputs and targets), such as its own datasets/mnist, got 'datasets/moby-dick', which holds text (token ids and a vocabulary): " +
        'lstm/lm, rnn-lm/lm train on it. Pass --dataset with examples (datasets/mnist), or a model made for text.',
    );
    const unknown = wrongKindOfData(kit, 'lstm/lm', taskOf(kit, kit.registry.models.get('lstm/lm')), 'datasets/moby-dick', { odd: true });
    expect(unknown.message).toMatch(
      /which holds none of the kinds nnkit knows: .*Pass --dataset with text \(datasets\/moby-dick, datasets\/sotu\), or a model made for that dataset\.$/,
    );
  });
});
