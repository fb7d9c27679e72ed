import type { ImageCaptionCorpus } from '@nnkit/core';
import { describe, expect, it } from 'vitest';
import { loadDigitLines } from './digit-lines.js';
import { loadDigitScenes } from './digit-scenes.js';
import type { DrawnSplitOptions } from './drawn-splits.js';
import { fakeMnist, litValues } from './fake-mnist.fixture.js';

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const SMALL = { train: 200, validation: 50, test: 200 };
const SPLITS = ['train', 'validation', 'test'] as const;

function withKept<C extends ImageCaptionCorpus, K extends keyof C>(corpus: C, key: K): C & { kept: C[K] } {
  return { ...corpus, kept: corpus[key] };
}

describe('drawn splits: the pictures digit-lines and digit-scenes draw from MNIST digits', () => {
  // Each with what it keeps about its pictures: where the digits of a line lie, what a scene holds.
  it.each([
    ['datasets/digit-lines', (options: DrawnSplitOptions) => withKept(loadDigitLines(options), 'spans')],
    ['datasets/digit-scenes', (options: DrawnSplitOptions) => withKept(loadDigitScenes(options), 'scenes')],
  ] as const)(
    '%s: byte-identical for the same options, others for another seed, and a test split that does not depend on the others',
    (_, load) => {
      const corpus = load({ ...SMALL, seed: 5 });
      const again = load({ ...SMALL, seed: 5 });
      const other = load({ ...SMALL, seed: 6 });
      const fewer = load({ train: 10, validation: 0, test: 200, seed: 5 });
      for (const split of SPLITS) {
        expect(bytes(again[split].pixels).equals(bytes(corpus[split].pixels))).toBe(true);
        expect(again[split].captions).toEqual(corpus[split].captions);
        expect(again.kept[split]).toEqual(corpus.kept[split]);
        expect(bytes(other[split].pixels).equals(bytes(corpus[split].pixels))).toBe(false);
      }
      expect(other.train.captions).not.toEqual(corpus.train.captions);
      expect(bytes(fewer.test.pixels).equals(bytes(corpus.test.pixels))).toBe(true);
    },
  );

  it.each([
    ['datasets/digit-lines', loadDigitLines],
    ['datasets/digit-scenes', loadDigitScenes],
  ] as const)(
    '%s: draws each split’s digits from its own part of MNIST only: with fake files whose parts differ in grey level, every lit pixel shows its part',
    (_, load) => {
      const fake = load({ train: 200, validation: 100, test: 200 }, fakeMnist(255, 200, 120));
      expect(litValues(fake.train.pixels)).toEqual([1]);
      expect(litValues(fake.validation.pixels)).toEqual([Math.round((200 / 255) * 1e5) / 1e5]);
      expect(litValues(fake.test.pixels)).toEqual([Math.round((120 / 255) * 1e5) / 1e5]);
    },
  );
});
