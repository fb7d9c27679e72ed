import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  ConfigError,
  DataError,
  closestNames,
  field,
  type ConfigSchema,
  type DatasetDefinition,
  type Field,
  type SequenceExample,
  type SequencePairCorpus,
} from '@nnkit/core';
import { checkFractions, fractionField, readOptions, type Defaulted } from './options.js';
import { seededShuffle, splitKeys } from './split.js';
import { stringListField } from './string-list-field.js';
import { symbolVocabulary } from './symbol-vocabulary.js';

const PACKAGE = 'cldr-localenames-full';

export type CldrKind = 'territories' | 'languages';

/** The folder of per-locale data, `main/<locale>/{languages,territories}.json`, of the npm package cldr-localenames-full. */
export function cldrDir(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`)), 'main');
  } catch {
    throw new DataError(
      `CLDR names expect the npm package ${PACKAGE} (names of languages and territories in 700+ locales, no network needed at run time), got none installed. Install it: pnpm add ${PACKAGE}`,
    );
  }
}

/**
 * Codes that CLDR lists but that name no language or territory: the pseudo-locales XA (Pseudo-Accents) and XB
 * (Pseudo-Bidi), which exist to test software.
 */
const NOT_NAMES = new Set(['XA', 'XB']);

/**
 * Checks one `main/<locale>/<kind>.json` and returns its names by code. Alternate forms (`GB-alt-short` 'UK',
 * `CZ-alt-variant` 'Czech Republic', `zh-alt-menu` 'Chinese, Mandarin') and the menu fragments of languages
 * (`ckb-menu-core` 'Kurdish') are left out: each locale has its own few (en 21 territories, es 14), so they are not
 * parallel, and one name per code keeps exact match well defined.
 */
export function parseCldrNames(json: unknown, file: string, locale: string, kind: CldrKind): Map<string, string> {
  const names = (json as { main?: Record<string, { localeDisplayNames?: Record<string, unknown> }> } | null)?.main?.[locale]
    ?.localeDisplayNames?.[kind];
  if (typeof names !== 'object' || names === null || Array.isArray(names)) {
    throw new DataError(
      `${file} expects main.${locale}.localeDisplayNames.${kind} to be an object of codes and names, got ${names === undefined ? 'none' : typeof names}. Reinstall ${PACKAGE}.`,
    );
  }
  const result = new Map<string, string>();
  for (const [code, name] of Object.entries(names as Record<string, unknown>)) {
    if (!/^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/.test(code) || typeof name !== 'string' || name.trim() === '' || /[\p{Cc}]/u.test(name)) {
      throw new DataError(
        `${file} expects entry '${code}' of ${kind} to be a code with a non-empty name, got ${JSON.stringify(name)}. Reinstall ${PACKAGE}.`,
      );
    }
    if (code.includes('-alt-') || code.includes('-menu-') || NOT_NAMES.has(code)) continue;
    result.set(code, name.normalize('NFC'));
  }
  return result;
}

/** The names of `kind` in `locale` by code; a ConfigError names the closest locales when CLDR has none. */
export function readCldrNames(locale: string, kind: CldrKind): Map<string, string> {
  const main = cldrDir();
  const file = join(main, locale, `${kind}.json`);
  if (!existsSync(file)) {
    const having = readdirSync(main).filter((l) => existsSync(join(main, l, `${kind}.json`)));
    const close = closestNames(locale, having, 3);
    const what = existsSync(join(main, locale)) ? `has no ${kind} in ${PACKAGE}` : `is not a locale of ${PACKAGE}`;
    throw new ConfigError(
      `Dataset datasets/cldr-names expects locales with ${kind} names (${having.length} have them), got '${locale}', which ${what}.${close.length > 0 ? ` Did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : ''}`,
      'locales',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DataError(`${file} expects JSON, got: ${(error as Error).message}. Reinstall ${PACKAGE}.`);
  }
  return parseCldrNames(json, file, locale, kind);
}

/** One direction of translation: [from, to]. */
export type LocalePair = readonly [string, string];

export interface CldrNamesOptions {
  /** The locales whose names are paired (at least 2). Default ['en', 'fr', 'de', 'es']. */
  readonly locales?: readonly string[];
  /** The directions to train on, [from, to]. Default every ordered pair of `locales` but the `zeroShot` ones. */
  readonly pairs?: readonly LocalePair[];
  /** Directions kept out of train and validation and tested apart, for zero-shot translation (Johnson et al. 2016). Default none. */
  readonly zeroShot?: readonly LocalePair[];
  /** What is named. Default 'territories'. */
  readonly kind?: 'territories' | 'languages' | 'both';
  /** Seeds the split by entity. Default 1. */
  readonly seed?: number;
  /** The share of entities held out for validation. Default 0.1. */
  readonly validationFraction?: number;
  /**
   * The share of entities held out for test. Default 0.2, more than for CMUdict: a few hundred entities give each
   * direction's exact match from only this many.
   */
  readonly testFraction?: number;
}

const pairList = (description: string): Field<LocalePair[]> => ({
  type: '[from, to][]',
  description,
  check: (value) =>
    Array.isArray(value) && value.every((p) => Array.isArray(p) && p.length === 2 && p.every((l) => typeof l === 'string'))
      ? undefined
      : "a list of [from, to] locale pairs, e.g. [['de', 'es']]",
});

const OPTIONS: ConfigSchema = {
  locales: stringListField({
    description: 'the locales whose names are paired',
    default: ['en', 'fr', 'de', 'es'],
    valid: (locales) => new Set(locales).size >= 2,
    expects: 'a list of at least 2 different locales',
  }),
  pairs: pairList('the directions to train on'),
  zeroShot: { ...pairList('directions held out of train and validation, tested apart'), default: [] },
  kind: field.oneOf(['territories', 'languages', 'both'], { default: 'territories', description: 'what is named' }),
  seed: field.integer({ default: 1, min: 0, description: 'seeds the split by entity' }),
  validationFraction: fractionField('the share of entities held out for validation', 0.1),
  testFraction: fractionField('the share of entities held out for test', 0.2),
};

/** The key of a direction in `testByPair`: 'en→fr'. */
export const directionKey = ([from, to]: LocalePair) => `${from}→${to}`;

/** The token that asks for a target language, first in every source (Johnson et al. 2016): `<2fr>`. */
export const targetToken = (locale: string) => `<2${locale}>`;

/** A CLDR names corpus: `test` holds the trained directions; each direction's test examples, zero-shot ones included, are apart too. */
export interface CldrNamesCorpus extends SequencePairCorpus {
  /** The test examples of each direction, trained and zero-shot: 'en→fr'. */
  readonly testByPair: Readonly<Record<string, SequenceExample[]>>;
  /** The zero-shot directions' test examples together. */
  readonly zeroShotTest: readonly SequenceExample[];
  readonly trainedPairs: readonly string[];
  readonly zeroShotPairs: readonly string[];
  /** The codes of the entities in each split. */
  readonly entities: {
    readonly train: readonly string[];
    readonly validation: readonly string[];
    readonly test: readonly string[];
  };
}

function checkPairs(name: string, pairs: readonly LocalePair[], locales: readonly string[]): LocalePair[] {
  for (const [from, to] of pairs) {
    if (from === to || !locales.includes(from) || !locales.includes(to)) {
      throw new ConfigError(
        `Option '${name}' of dataset datasets/cldr-names expects directions between two different locales among ${locales.join(', ')}, got ['${from}', '${to}']. Add the locale to 'locales' or fix the pair.`,
        name,
      );
    }
  }
  const unique = new Map(pairs.map((p) => [directionKey(p), p]));
  return [...unique.values()];
}

/**
 * Names of territories or languages translated between locales with one multilingual model, as Johnson et al.
 * (2016): the source is `<2xx>` (the target locale) followed by the source name's characters, the target the target
 * name's characters ('<2fr>' G e r m a n y → A l l e m a g n e). An entity (a CLDR code: `DE`, `001`, `zh-Hant`) named
 * in at least two of the locales gives one example per direction whose both ends name it. The split is by entity
 * from the seed: no code is in two splits, so the test names were never seen in any direction. `test` holds the
 * trained directions; `testByPair` each direction apart and `zeroShotTest` the zero-shot ones, which appear in no
 * other split. Language and territory codes never collide (BCP 47: languages lower case, regions upper case or
 * digits), so `kind: 'both'` keeps plain codes. The vocabularies come from every name of the locales (all splits),
 * so they do not depend on the seed.
 */
export function loadCldrNames(options: CldrNamesOptions = {}): CldrNamesCorpus {
  const owner = 'datasets/cldr-names';
  const o = readOptions<Defaulted<CldrNamesOptions, 'pairs'>>(owner, OPTIONS, options);
  checkFractions(owner, o.validationFraction, o.testFraction);
  const locales = [...new Set(o.locales)];
  const zeroShot = checkPairs('zeroShot', o.zeroShot, locales);
  const zeroShotKeys = new Set(zeroShot.map(directionKey));
  const everyPair = locales.flatMap((from) => locales.filter((to) => to !== from).map((to): LocalePair => [from, to]));
  const trained =
    o.pairs === undefined ? everyPair.filter((p) => !zeroShotKeys.has(directionKey(p))) : checkPairs('pairs', o.pairs, locales);
  const both = trained.find((p) => zeroShotKeys.has(directionKey(p)));
  if (both)
    throw new ConfigError(
      `Dataset ${owner} expects the zeroShot directions to be out of 'pairs', got ${directionKey(both)} in both. Take it out of 'pairs'.`,
      'pairs',
    );
  if (trained.length === 0)
    throw new ConfigError(
      `Dataset ${owner} expects at least one direction to train on, got none. Leave out 'pairs' (every direction but the zero-shot ones) or list some.`,
      'pairs',
    );

  const kinds: CldrKind[] = o.kind === 'both' ? ['territories', 'languages'] : [o.kind];
  const names = new Map<string, Map<string, string>>(); // locale → code → name
  for (const locale of locales) {
    const merged = new Map<string, string>();
    for (const kind of kinds) {
      for (const [code, name] of readCldrNames(locale, kind)) {
        if (merged.has(code))
          throw new DataError(
            `${PACKAGE} expects language and territory codes apart, got '${code}' in both for locale '${locale}'. Load one kind at a time.`,
          );
        merged.set(code, name);
      }
    }
    names.set(locale, merged);
  }
  const codes = new Set([...names.values()].flatMap((m) => [...m.keys()]));
  const entities = [...codes].filter((code) => locales.filter((l) => names.get(l)!.has(code)).length >= 2);

  const sourceVocabulary = symbolVocabulary([
    ...locales.map(targetToken),
    ...[...names.values()].flatMap((m) => [...m.values()].flatMap((n) => [...n])),
  ]);
  const targetVocabulary = symbolVocabulary([...names.values()].flatMap((m) => [...m.values()].flatMap((n) => [...n])));
  const split = splitKeys(seededShuffle(entities, o.seed, 'cldr-names/split'), o.validationFraction, o.testFraction);
  const examples = (codesOf: readonly string[], [from, to]: LocalePair): SequenceExample[] =>
    codesOf.flatMap((code) => {
      const source = names.get(from)!.get(code);
      const target = names.get(to)!.get(code);
      return source === undefined || target === undefined
        ? []
        : [
            {
              source: sourceVocabulary.encode([targetToken(to), ...source]),
              targets: [targetVocabulary.encode([...target])],
            },
          ];
    });
  // Entity by entity, each in every direction, so that a prefix of a split still covers every direction.
  const splitOf = (codesOf: readonly string[], directions: readonly LocalePair[]) =>
    codesOf.flatMap((code) => directions.flatMap((d) => examples([code], d)));
  const testByPair = Object.fromEntries([...trained, ...zeroShot].map((d) => [directionKey(d), examples(split.test, d)]));
  return {
    kind: 'sequence-pairs',
    train: splitOf(split.train, trained),
    validation: splitOf(split.validation, trained),
    test: splitOf(split.test, trained),
    sourceVocabulary,
    targetVocabulary,
    sourceSeparator: '',
    targetSeparator: '',
    testByPair,
    zeroShotTest: splitOf(split.test, zeroShot),
    trainedPairs: trained.map(directionKey),
    zeroShotPairs: zeroShot.map(directionKey),
    entities: split,
  };
}

export const cldrNames: DatasetDefinition<CldrNamesCorpus> = {
  name: 'cldr-names',
  description:
    "Names of territories and languages across CLDR locales (cldr-localenames-full), one multilingual model with a '<2xx>' target token (Johnson et al. 2016); split by entity, zero-shot directions apart",
  task: 'tasks/sequence-pairs',
  options: OPTIONS,
  load: async (options) => loadCldrNames(options as CldrNamesOptions),
};
