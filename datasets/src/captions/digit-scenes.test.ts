import { describe, expect, it } from 'vitest';
import { ConfigError } from '@nnkit/core';
import { readMnistSplit } from '../mnist/mnist.js';
import { loadDigitScenes, type DigitScenesCorpus } from './digit-scenes.js';
import type { SceneDigit } from './scene-layout.js';

// An independent reading of the grammar and of what each word promises about the picture.
const DIGITS = 'zero one two three four five six seven eight nine'.split(' ');
const SIZE = { small: [14, 17], large: [24, 28] } as const;
const third = (centre: number) => (centre <= 18 ? 0 : centre >= 25 && centre <= 31 ? 1 : centre >= 38 ? 2 : undefined);
const ROWS = ['top', '', 'bottom'];
const COLUMNS = ['left', '', 'right'];
const positionOf = (d: SceneDigit) => {
  const [column, row] = [third(d.x + d.width / 2), third(d.y + d.height / 2)];
  if (column === undefined || row === undefined) return undefined;
  return [ROWS[row], COLUMNS[column]].filter(Boolean).join(' ') || 'center';
};
const touching = (p: SceneDigit, q: SceneDigit) =>
  !(p.x + p.width < q.x || q.x + q.width < p.x || p.y + p.height < q.y || q.y + q.height < p.y);

/** Throws unless `words` describe `digits` as the grammar promises, with the promised margins. */
function checkCaption(words: string, digits: readonly SceneDigit[]): void {
  const fail = (why: string) => {
    throw new Error(`'${words}' for ${JSON.stringify(digits)}: ${why}`);
  };
  const named = (size: string, digit: string, d: SceneDigit) => {
    if (DIGITS[d.label] !== digit) fail(`${digit} names a ${d.label}`);
    const side = Math.max(d.width, d.height);
    const [lo, hi] = SIZE[size as keyof typeof SIZE];
    if (side < lo || side > hi) fail(`${size} names a digit of ${side} px`);
  };
  for (const d of digits) if (d.x < 0 || d.y < 0 || d.x + d.width > 56 || d.y + d.height > 56) fail('a digit off the canvas');
  let m: RegExpExecArray | null;
  if ((m = /^a (small|large) (\w+) at the (.+)$/.exec(words))) {
    if (digits.length !== 1) fail('one digit named');
    named(m[1]!, m[2]!, digits[0]!);
    if (positionOf(digits[0]!) !== m[3]) fail(`the box centre is at ${positionOf(digits[0]!) ?? 'no clear place'}`);
  } else if ((m = /^a (small|large) (\w+) (above|left of) a (small|large) (\w+)$/.exec(words))) {
    const [a, b] = digits;
    if (digits.length !== 2) fail('two digits named');
    named(m[1]!, m[2]!, a!);
    named(m[4]!, m[5]!, b!);
    const [along, across] = m[3] === 'above' ? (['y', 'x'] as const) : (['x', 'y'] as const);
    const extent = along === 'y' ? 'height' : 'width';
    const half = across === 'x' ? 'width' : 'height';
    if (a![along] + a![extent] + 3 > b![along]) fail(`not ${m[3]} with 3 px to spare`);
    if (Math.abs(a![across] + a![half] / 2 - (b![across] + b![half] / 2)) > 7) fail('not aligned within 7 px');
  } else if ((m = /^(three|four) digits from left to right ((?:\w+ )*\w+)$/.exec(words))) {
    const names = m[2]!.split(' ');
    if (DIGITS.indexOf(m[1]!) !== digits.length || names.length !== digits.length) fail('wrong count');
    digits.forEach((d, i) => {
      if (DIGITS[d.label] !== names[i]) fail(`${names[i]} names a ${d.label}`);
      const next = digits[i + 1];
      if (!next) return;
      if (next.x + next.width / 2 - (d.x + d.width / 2) < 9) fail('centres closer than 9 px');
      if (next.x - d.x < 3 || next.x + next.width - d.x - d.width < 3) fail('edges out of order');
    });
    for (const [i, p] of digits.entries()) for (const q of digits.slice(i + 1)) if (touching(p, q)) fail('boxes touch');
  } else {
    fail('not in the grammar');
  }
}

const SMALL = { train: 200, validation: 50, test: 200 };

describe('datasets/digit-scenes', () => {
  const corpus = loadDigitScenes({ ...SMALL, seed: 3 });
  const splits = ['train', 'validation', 'test'] as const;

  it('has 56×56×1 images in [0, 1], ink only inside the digits’ boxes, and captions over a fixed vocabulary of 25 words', () => {
    expect(corpus.imageShape).toEqual([56, 56, 1]);
    expect([corpus.kind, corpus.separator]).toEqual(['image-captions', ' ']);
    const words = 'a small large at the above left of digits from to right top bottom center'.split(' ').concat(DIGITS);
    expect(corpus.vocabulary.tokens).toEqual(['<pad>', '<s>', '</s>', '<unk>', ...words.sort()]);
    for (const split of splits) {
      const { count, pixels, captions } = corpus[split];
      expect([count, pixels.length, captions.length]).toEqual([SMALL[split], SMALL[split] * 56 * 56, SMALL[split]]);
      expect(pixels.every((v) => v >= 0 && v <= 1)).toBe(true);
      for (const [i, scene] of corpus.scenes[split].entries()) {
        const inBox = (x: number, y: number) => scene.digits.some((d) => x >= d.x && x < d.x + d.width && y >= d.y && y < d.y + d.height);
        for (let p = 0; p < 56 * 56; p++)
          if (pixels[i * 3136 + p]! > 0 && !inBox(p % 56, Math.floor(p / 56)))
            throw new Error(`${split} ${i}: ink outside every box at ${p}`);
        expect(Math.max(...pixels.subarray(i * 3136, (i + 1) * 3136))).toBeGreaterThan(0.5);
      }
      for (const caption of captions) expect(caption.every((id) => id > 3)).toBe(true); // no <pad> <s> </s> <unk>
    }
  });

  it('captions every scene by the grammar, each word true of the picture with margins to spare, and shows every arrangement', () => {
    const seen = new Set<string>();
    for (const split of splits) {
      for (const [i, scene] of corpus.scenes[split].entries()) {
        const words = corpus.vocabulary.decode(corpus[split].captions[i]!).join(' ');
        checkCaption(words, scene.digits);
        seen.add(
          scene.arrangement === 'single'
            ? `single ${scene.position}`
            : scene.arrangement === 'row'
              ? `row of ${scene.digits.length}`
              : scene.arrangement,
        );
        seen.add(scene.digits.map((d) => d.size).join(' '));
      }
    }
    const positions = ['top left', 'top', 'top right', 'left', 'center', 'right', 'bottom left', 'bottom', 'bottom right'];
    const sizes = ['small', 'large', 'small small', 'small large', 'large small', 'large large'];
    for (const shown of [...positions.map((p) => `single ${p}`), 'above', 'left of', 'row of 3', 'row of 4', ...sizes])
      expect(seen).toContain(shown);
  });

  it('names MNIST digits by their labels: training scenes from training digits 0–54,999, validation from 55,000–59,999, test from the test file', () => {
    const [train, test] = [readMnistSplit('train'), readMnistSplit('test')];
    for (const split of splits) {
      const file = split === 'test' ? test : train;
      const [lo, hi] = { train: [0, 55_000], validation: [55_000, 60_000], test: [0, 10_000] }[split];
      for (const d of corpus.scenes[split].flatMap((s) => s.digits)) {
        expect(d.mnistIndex >= lo! && d.mnistIndex < hi!).toBe(true);
        expect(file.labels[d.mnistIndex]).toBe(d.label);
      }
    }
  });

  it('holds 1 … maxDigits digits, each count about equally often', () => {
    const counts = (c: DigitScenesCorpus) => c.scenes.train.map((s) => s.digits.length);
    expect(new Set(counts(loadDigitScenes({ train: 100, validation: 0, test: 0, maxDigits: 1 })))).toEqual(new Set([1]));
    expect(new Set(counts(loadDigitScenes({ train: 100, validation: 0, test: 0, maxDigits: 2 })))).toEqual(new Set([1, 2]));
    const all = counts(corpus);
    for (const n of [1, 2, 3, 4]) expect(all.filter((c) => c === n).length).toBeGreaterThan(30);
  });

  it('refuses unknown options and values out of range with a ConfigError that names them', () => {
    expect(() => loadDigitScenes({ maxDigit: 2 } as never)).toThrow(ConfigError);
    expect(() => loadDigitScenes({ maxDigit: 2 } as never)).toThrow(/unknown option 'maxDigit'.*Did you mean 'maxDigits'\?/);
    expect(() => loadDigitScenes({ maxDigits: 5 })).toThrow(
      /Option 'maxDigits' of dataset datasets\/digit-scenes expects an integer ≥ 1 and ≤ 4/,
    );
    expect(() => loadDigitScenes({ train: 0 })).toThrow(ConfigError);
    // A count is an allocation: 1e9 once asked for a 12.5 TB typed array. The schema refuses it with the limit named.
    expect(() => loadDigitScenes({ train: 1e9 })).toThrow(
      /Option 'train' of dataset datasets\/digit-scenes expects an integer ≥ 1 and ≤ 100000/,
    );
    expect(() => loadDigitScenes({ test: 20_001 })).toThrow(/Option 'test' .* ≤ 20000/);
  });

  it('makes tens of thousands of scenes in seconds', () => {
    const start = performance.now();
    loadDigitScenes({ train: 10_000, validation: 0, test: 0 });
    expect(performance.now() - start).toBeLessThan(20_000); // about 1 s on a quiet machine
  });
});
