import { describe, expect, it } from 'vitest';
import type { ImageCaptionCorpus } from '@nnkit/core';
import { createKit } from '@nnkit/kit';
import datasetsPlugin from '../index.js';

describe('the datasets plugin', () => {
  it.each([
    ['datasets/digit-lines', [28, 224, 1]],
    ['datasets/digit-scenes', [56, 56, 1]],
  ])('loads %s through a kit, each split of the size asked for', async (key, imageShape) => {
    const kit = await createKit({ plugins: [datasetsPlugin()], backend: 'cpu' });
    const loaded = await kit.loadDataset<ImageCaptionCorpus>(key, { train: 5, validation: 1, test: 2 });
    const { kind, train, validation, test, imageShape: shape } = loaded;
    expect([kind, train.count, validation.count, test.count, shape]).toEqual(['image-captions', 5, 1, 2, imageShape]);
  });
});
