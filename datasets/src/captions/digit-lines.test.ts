import { describe, expect, it } from 'vitest';
import { ConfigError } from '@nnkit/core';
import { readMnistSplit } from '../mnist/mnist.js';
import { loadDigitLines } from './digit-lines.js';

const SMALL = { train: 200, validation: 50, test: 200 };
const [HEIGHT, WIDTH] = [28, 224];

describe('datasets/digit-lines', () => {
  const corpus = loadDigitLines({ ...SMALL, seed: 5 });
  const splits = ['train', 'validation', 'test'] as const;

  it('reads each line as its digits: 3–10 of them, the MNIST labels of the digits drawn, left to right, over digits 0–9', () => {
    expect([corpus.kind, corpus.separator, corpus.imageShape]).toEqual(['image-captions', '', [HEIGHT, WIDTH, 1]]);
    expect(corpus.vocabulary.tokens).toEqual(['<pad>', '<s>', '</s>', '<unk>', ...'0123456789']);
    const [train, test] = [readMnistSplit('train'), readMnistSplit('test')];
    const lengths = new Set<number>();
    for (const split of splits) {
      const file = split === 'test' ? test : train;
      const [lo, hi] = { train: [0, 55_000], validation: [55_000, 60_000], test: [0, 10_000] }[split];
      expect(corpus[split].captions).toHaveLength(SMALL[split]);
      for (const [i, caption] of corpus[split].captions.entries()) {
        const spans = corpus.spans[split][i]!;
        lengths.add(caption.length);
        expect(caption.length >= 3 && caption.length <= 10).toBe(true);
        expect(corpus.vocabulary.decode(caption).join('')).toBe(spans.map((s) => String(file.labels[s.mnistIndex])).join(''));
        for (const s of spans) expect(s.mnistIndex >= lo! && s.mnistIndex < hi!).toBe(true);
      }
    }
    expect(lengths.size).toBe(8); // every length 3 … 10 drawn
  });

  it('sets digits left to right inside the canvas, overlapping by at most 2 px and at most 4 px apart, with ink only in their columns', () => {
    for (const split of splits) {
      const { pixels } = corpus[split];
      expect(pixels).toHaveLength(SMALL[split] * HEIGHT * WIDTH);
      expect(pixels.every((v) => v >= 0 && v <= 1)).toBe(true);
      for (const [i, spans] of corpus.spans[split].entries()) {
        expect(spans[0]!.from).toBeGreaterThanOrEqual(0);
        expect(spans.at(-1)!.to).toBeLessThanOrEqual(WIDTH);
        for (const [k, s] of spans.entries()) {
          expect(s.to - s.from).toBeGreaterThan(0);
          const next = spans[k + 1];
          if (next) expect([next.from - s.to >= -2, next.from - s.to <= 4, next.to > s.to]).toEqual([true, true, true]);
        }
        const image = pixels.subarray(i * HEIGHT * WIDTH, (i + 1) * HEIGHT * WIDTH);
        for (let x = 0; x < WIDTH; x++) {
          if (spans.some((s) => x >= s.from && x < s.to)) continue;
          for (let y = 0; y < HEIGHT; y++)
            if (image[y * WIDTH + x]! > 0) throw new Error(`${split} line ${i}: ink at column ${x}, outside every digit`);
        }
      }
    }
  });

  it('holds minDigits … maxDigits digits, and ten digits always fit', () => {
    const some = loadDigitLines({ train: 100, validation: 0, test: 0, minDigits: 5, maxDigits: 6 });
    expect(new Set(some.train.captions.map((c) => c.length))).toEqual(new Set([5, 6]));
    const ten = loadDigitLines({ train: 200, validation: 0, test: 0, minDigits: 10 });
    for (const spans of ten.spans.train) expect([spans.length, spans[0]!.from >= 0, spans.at(-1)!.to <= WIDTH]).toEqual([10, true, true]);
  });

  it('refuses unknown options, minDigits > maxDigits and lines longer than the canvas fits, with ConfigErrors that name them', () => {
    expect(() => loadDigitLines({ minDigit: 2 } as never)).toThrow(/unknown option 'minDigit'.*Did you mean 'minDigits'\?/);
    expect(() => loadDigitLines({ minDigits: 6, maxDigits: 4 })).toThrow(ConfigError);
    expect(() => loadDigitLines({ minDigits: 6, maxDigits: 4 })).toThrow(/expects minDigits ≤ maxDigits, got minDigits 6 and maxDigits 4/);
    expect(() => loadDigitLines({ maxDigits: 11 })).toThrow(
      /Option 'maxDigits' of dataset datasets\/digit-lines expects an integer ≥ 1 and ≤ 10/,
    );
    expect(() => loadDigitLines({ train: 1e9 })).toThrow(
      /Option 'train' of dataset datasets\/digit-lines expects an integer ≥ 1 and ≤ 50000/,
    );
    expect(() => loadDigitLines({ validation: 10_001 })).toThrow(/Option 'validation' .* ≤ 10000/);
  });
});
