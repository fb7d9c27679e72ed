import { describe, expect, it } from 'vitest';
import { ConfigError, type SequencePairCorpus } from '@nnkit/core';
import { createKit } from '@nnkit/kit';
import datasetsPlugin from '../index.js';

describe('the datasets plugin', () => {
  it('registers the sequence-pair datasets, which load through a kit and check their options', async () => {
    const kit = await createKit({ plugins: [datasetsPlugin()], backend: 'cpu' });
    const dates = await kit.loadDataset<SequencePairCorpus>('datasets/dates', { train: 10, validation: 2, test: 3 });
    expect([dates.kind, dates.train.length, dates.validation.length, dates.test.length]).toEqual(['sequence-pairs', 10, 2, 3]);
    const g2p = await kit.loadDataset<SequencePairCorpus>('datasets/cmudict', { limit: 100 });
    expect(g2p.train.length + g2p.validation.length + g2p.test.length).toBe(100);
    const names = await kit.loadDataset<SequencePairCorpus>('datasets/cldr-names', { locales: ['en', 'ja'] });
    expect(names.sourceVocabulary.tokens).toContain('<2ja>');
    await expect(kit.loadDataset('datasets/cmudict', { limt: 100 })).rejects.toThrow(/Did you mean 'limit'\?/);
  });

  it('refuses an unknown option of every dataset with a ConfigError naming it, before reading any data', async () => {
    const kit = await createKit({ plugins: [datasetsPlugin()], backend: 'cpu' });
    for (const key of kit.registry.datasets.keys()) {
      const error = await kit.loadDataset(key, { bogusOption: 1 }).catch((e: unknown) => e);
      expect(error, key).toBeInstanceOf(ConfigError);
      expect((error as Error).message, key).toContain(`Dataset ${key} expects options among `);
      expect((error as Error).message, key).toContain("got unknown option 'bogusOption'");
    }
    await expect(kit.loadDataset('datasets/mnist', { trainLimt: 10 })).rejects.toThrow(/Did you mean 'trainLimit'\?/);
    await expect(kit.loadDataset('datasets/moby-dick', { levl: 'char' })).rejects.toThrow(/Did you mean 'level'\?/);
    await expect(kit.loadDataset('datasets/sotu', { trainTokens: 1 })).rejects.toThrow(
      /Option 'trainTokens' of dataset datasets\/sotu expects an integer ≥ 2/,
    );
  });
});
