import { describe, expect, it } from 'vitest';
import { scoreTranslations, type TranslationModel } from './score-translations.js';

describe('scoreTranslations', () => {
  it('decodes in batches with room for twice the longest target, passes the beam only past 1, and scores against every accepted target', async () => {
    const calls: { sources: number[][]; options: unknown }[] = [];
    // Copies its source, so a source whose accepted targets include itself is an exact match.
    const copier: TranslationModel = {
      async translate(sources, options) {
        calls.push({ sources, options });
        return { tokens: sources.map((s) => [...s]) };
      },
    };
    const examples = [
      { source: [4, 5], targets: [[4, 5]] },
      { source: [6], targets: [[7], [6]] },
      { source: [8, 9, 10], targets: [[8, 9]] },
    ];
    const greedy = await scoreTranslations(copier, examples, { batchSize: 2 });
    expect(calls.map((c) => c.sources)).toEqual([[[4, 5], [6]], [[8, 9, 10]]]);
    expect(calls.map((c) => c.options)).toEqual([{ maxLength: 14 }, { maxLength: 14 }]);
    expect(greedy.exactMatch).toBeCloseTo(2 / 3);
    expect(greedy.tokenErrorRate).toBeCloseTo(1 / 5); // one insertion against 2 + 1 + 2 reference tokens
    expect(greedy.outputs).toEqual([[4, 5], [6], [8, 9, 10]]);
    expect(greedy.attention).toEqual([[], [], []]);
    await scoreTranslations(copier, examples.slice(0, 1), { beam: 4 });
    expect(calls.at(-1)!.options).toEqual({ beam: 4, maxLength: 14 });
  });
});
