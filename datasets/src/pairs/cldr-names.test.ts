import { describe, expect, it } from 'vitest';
import { ConfigError, DataError, type SequenceExample } from '@nnkit/core';
import { loadCldrNames, parseCldrNames, readCldrNames, type CldrNamesCorpus } from './cldr-names.js';

const LOCALES = ['en', 'fr', 'de', 'es'];
/** An example as text: the target-language token, the source name and the target name. */
function text(corpus: CldrNamesCorpus, e: SequenceExample) {
  const [token, ...source] = corpus.sourceVocabulary.decode(e.source);
  return { token: token!, source: source.join(''), target: corpus.targetVocabulary.decode(e.targets[0]!).join('') };
}
/** Each locale's territory names, name → code, to find the entity an example names. */
const codeOf = Object.fromEntries(
  LOCALES.map((l) => [l, new Map([...readCldrNames(l, 'territories')].map(([code, name]) => [name, code]))]),
);

describe('datasets/cldr-names', () => {
  const corpus = loadCldrNames();

  it('reads 293 territories named in en, fr, de and es, split by entity 205 / 29 / 59, in 12 directions: 2,460 / 348 / 708 pairs', () => {
    const { train, validation, test } = corpus.entities;
    expect([train.length, validation.length, test.length]).toEqual([205, 29, 59]);
    expect(new Set([...train, ...validation, ...test]).size).toBe(293);
    expect([corpus.train.length, corpus.validation.length, corpus.test.length]).toEqual([2_460, 348, 708]);
    expect(corpus.trainedPairs).toHaveLength(12);
    expect(Object.values(corpus.testByPair).map((s) => s.length)).toEqual(Array(12).fill(59));
  });

  it('translates a known name with the target-language token first: <2fr> Germany → Allemagne', () => {
    const all = [corpus.train, corpus.validation, corpus.test].flat().map((e) => text(corpus, e));
    expect(all).toContainEqual({ token: '<2fr>', source: 'Germany', target: 'Allemagne' });
    expect(all).toContainEqual({ token: '<2en>', source: 'Deutschland', target: 'Germany' });
    expect(all.every((e) => /^<2(en|fr|de|es)>$/.test(e.token) && !e.source.startsWith('<'))).toBe(true);
    expect(corpus.sourceVocabulary.tokens.filter((t) => t.startsWith('<2'))).toEqual(['<2de>', '<2en>', '<2es>', '<2fr>']);
    const enToFr = corpus.testByPair['en→fr']!.map((e) => text(corpus, e));
    expect(enToFr.every((e) => e.token === '<2fr>' && codeOf.en!.get(e.source) === codeOf.fr!.get(e.target))).toBe(true);
  });

  it('splits by entity: every example of a split names an entity of that split, in both of its locales', () => {
    for (const split of ['train', 'validation', 'test'] as const) {
      const entities = new Set(corpus.entities[split]);
      for (const e of corpus[split]) {
        const { token, source, target } = text(corpus, e);
        const code = codeOf[token.slice(2, -1)]!.get(target)!;
        expect(entities.has(code), `${source} → ${target} in ${split}`).toBe(true);
        expect(LOCALES.some((l) => codeOf[l]!.get(source) === code)).toBe(true);
      }
    }
    expect(corpus.entities.train.some((c) => c.includes('-alt-'))).toBe(false);
    expect(loadCldrNames().entities).toEqual(corpus.entities);
    expect(loadCldrNames({ seed: 2 }).entities.test).not.toEqual(corpus.entities.test);
  });

  it('keeps zero-shot directions out of train and validation and tests them apart', () => {
    const zeroShot = loadCldrNames({ zeroShot: [['de', 'es']] });
    expect(zeroShot.zeroShotPairs).toEqual(['de→es']);
    expect(zeroShot.trainedPairs).not.toContain('de→es');
    expect(zeroShot.zeroShotTest).toEqual(zeroShot.testByPair['de→es']);
    expect(zeroShot.zeroShotTest).toHaveLength(59);
    expect([zeroShot.train.length, zeroShot.validation.length, zeroShot.test.length]).toEqual([2_460 - 205, 348 - 29, 708 - 59]);
    // No German name with '<2es>' in training, unless the same name is English or French (then it is that direction's)
    const fromGerman = zeroShot.train.map((e) => text(zeroShot, e)).filter((e) => e.token === '<2es>' && codeOf.de!.has(e.source));
    expect(fromGerman.every((e) => codeOf.en!.has(e.source) || codeOf.fr!.has(e.source))).toBe(true);
    expect(zeroShot.entities).toEqual(corpus.entities);
    const chosen = loadCldrNames({
      pairs: [
        ['en', 'fr'],
        ['fr', 'en'],
      ],
      zeroShot: [['de', 'es']],
    });
    expect(chosen.train).toHaveLength(2 * 205);
    expect(Object.keys(chosen.testByPair)).toEqual(['en→fr', 'fr→en', 'de→es']);
  });

  it('names languages too: 654 named in at least two of en, fr, de, es; 947 entities for both kinds', () => {
    const languages = loadCldrNames({ kind: 'languages' });
    const count = (c: CldrNamesCorpus) => c.entities.train.length + c.entities.validation.length + c.entities.test.length;
    expect(count(languages)).toBe(654);
    expect([languages.train.length, languages.validation.length, languages.test.length]).toEqual([5_110, 702, 1_482]);
    const all = [languages.train, languages.validation, languages.test].flat().map((e) => text(languages, e));
    expect(all).toContainEqual({ token: '<2de>', source: 'French', target: 'Französisch' });
    expect(count(loadCldrNames({ kind: 'both' }))).toBe(947);
  });

  it('refuses bad options with the fix: unknown keys, too few or unknown locales, pairs outside the locales', () => {
    expect(() => loadCldrNames({ zeroshot: [] } as never)).toThrow(/unknown option 'zeroshot'\. Did you mean 'zeroShot'\?/);
    expect(() => loadCldrNames({ locales: ['en'] })).toThrow(/expects a list of at least 2 different locales/);
    expect(() => loadCldrNames({ locales: ['en', 'fre'] })).toThrow(
      /got 'fre', which is not a locale of cldr-localenames-full\. Did you mean 'fr'/,
    );
    expect(() => loadCldrNames({ zeroShot: [['de', 'it']] })).toThrow(
      /directions between two different locales among en, fr, de, es, got \['de', 'it'\]/,
    );
    expect(() => loadCldrNames({ pairs: [['de', 'es']], zeroShot: [['de', 'es']] })).toThrow(ConfigError);
    expect(() => loadCldrNames({ seed: -1 })).toThrow(/expects an integer ≥ 0/);
  });

  it('refuses a malformed file, naming the entry, and leaves out alternate forms and pseudo-locales', () => {
    const file = 'main/xx/territories.json';
    const wrap = (territories: unknown) => ({ main: { xx: { localeDisplayNames: { territories } } } });
    expect([...parseCldrNames(wrap({ DE: 'Germany', 'GB-alt-short': 'UK', XA: 'Pseudo-Accents' }), file, 'xx', 'territories')]).toEqual([
      ['DE', 'Germany'],
    ]);
    expect(() => parseCldrNames(wrap({ DE: 42 }), file, 'xx', 'territories')).toThrow(DataError);
    expect(() => parseCldrNames(wrap({ DE: '' }), file, 'xx', 'territories')).toThrow(
      /territories\.json expects entry 'DE' of territories to be a code with a non-empty name, got ""/,
    );
    expect(() => parseCldrNames({ main: {} }, file, 'xx', 'territories')).toThrow(
      /expects main\.xx\.localeDisplayNames\.territories to be an object/,
    );
    expect(readCldrNames('en', 'territories').get('GB')).toBe('United Kingdom');
  });
});
