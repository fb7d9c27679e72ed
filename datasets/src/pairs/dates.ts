import {
  ConfigError,
  closestNames,
  field,
  mulberry32,
  seededRandom,
  type ConfigSchema,
  type DatasetDefinition,
  type SequenceExample,
  type SequencePairCorpus,
} from '@nnkit/core';
import { calendarDay, DATE_FORMAT_NAMES, DATE_FORMATS, DAY_COUNT, FIRST_DAY, isoDate } from './date-formats.js';
import { readOptions, type Defaulted } from './options.js';
import { stringListField } from './string-list-field.js';
import { symbolVocabulary } from './symbol-vocabulary.js';

export interface DatesOptions {
  /** Training pairs. Default 20,000. */
  readonly train?: number;
  /** Validation pairs. Default 1,000. */
  readonly validation?: number;
  /** Test pairs. Default 2,000. */
  readonly test?: number;
  /** Train draws from `seed`, validation from seed + 1, test from seed + 2. Default 1. */
  readonly seed?: number;
  /** The formats to write dates in (names of DATE_FORMATS: 'D Mon YYYY', …). Default all 19. */
  readonly formats?: readonly string[];
}

const DAY_OF_2000 = (Date.UTC(2000, 0, 1) - FIRST_DAY) / 86_400_000; // a leap year: every month, weekday and day of the month

/**
 * No split can hold more pairs than there are distinct sources (every day in every format), so a count above that is
 * refused by the schema at once; `loadDates` also checks the three counts together against the formats chosen.
 */
const MOST_PAIRS = DAY_COUNT * DATE_FORMAT_NAMES.length;

const OPTIONS: ConfigSchema = {
  train: field.integer({ default: 20_000, min: 1, max: MOST_PAIRS, description: 'the number of training pairs' }),
  validation: field.integer({ default: 1_000, min: 0, max: MOST_PAIRS, description: 'the number of validation pairs' }),
  test: field.integer({ default: 2_000, min: 0, max: MOST_PAIRS, description: 'the number of test pairs' }),
  seed: field.integer({
    default: 1,
    min: 0,
    description: 'train draws from seed, validation from seed + 1, test from seed + 2',
  }),
  formats: stringListField({
    description: `format names among ${DATE_FORMAT_NAMES.map((n) => `'${n}'`).join(', ')}`,
    valid: (formats) => formats.length > 0,
    expects: 'a non-empty list of format names',
  }),
};

/** A dates corpus, with the formats its sources are written in. */
export interface DatesCorpus extends SequencePairCorpus {
  readonly formats: readonly string[];
}

/**
 * Date normalization, as tfjs-examples' date-conversion-attention: a day drawn uniformly from 1950-01-01 to
 * 2049-12-31, written in a format drawn uniformly from `formats` ("23 Jan 2017", "Monday, January 23, 2017",
 * "23.01.17", …) → its ISO 8601 form "2017-01-23", characters on both sides. Test is drawn first, then validation,
 * then train, each from its own seed; a split keeps drawing until it has its size in sources that no split before
 * it holds (nor itself), so no source string is in two splits and the test set does not depend on the other sizes.
 * The vocabularies come from every format over a whole leap year, so they do not depend on `formats` or the seed
 * (a model trained on some formats can be tested on the others).
 */
export function loadDates(options: DatesOptions = {}): DatesCorpus {
  const {
    train,
    validation,
    test,
    seed,
    formats = DATE_FORMAT_NAMES,
  } = readOptions<Defaulted<DatesOptions, 'formats'>>('datasets/dates', OPTIONS, options);
  for (const name of formats) {
    if (Object.hasOwn(DATE_FORMATS, name)) continue;
    const close = closestNames(name, DATE_FORMAT_NAMES, 1);
    throw new ConfigError(
      `Option 'formats' of dataset datasets/dates expects names among ${DATE_FORMAT_NAMES.map((n) => `'${n}'`).join(', ')}, got '${name}'.${close.length > 0 ? ` Did you mean '${close[0]}'?` : ''}`,
      'formats',
    );
  }
  const chosen = [...new Set(formats)];
  const capacity = DAY_COUNT * chosen.length; // every format writes each day its own way (tested)
  if (train + validation + test > capacity) {
    throw new ConfigError(
      `Dataset datasets/dates expects train + validation + test ≤ ${capacity} (${DAY_COUNT} days × ${chosen.length} formats), got ${train + validation + test}. Ask for fewer pairs or more formats.`,
      'train',
    );
  }
  const leapYear = Array.from({ length: 366 }, (_, i) => calendarDay(DAY_OF_2000 + i));
  const sourceVocabulary = symbolVocabulary(leapYear.flatMap((d) => DATE_FORMAT_NAMES.flatMap((name) => [...DATE_FORMATS[name]!(d)])));
  const targetVocabulary = symbolVocabulary(leapYear.flatMap((d) => [...isoDate(d)]));
  const taken = new Set<string>();
  const draw = (count: number, splitSeed: number): SequenceExample[] => {
    const random = mulberry32(seededRandom(splitSeed).derive('dates'));
    const examples: SequenceExample[] = [];
    while (examples.length < count) {
      const day = calendarDay(Math.floor(random() * DAY_COUNT));
      const source = DATE_FORMATS[chosen[Math.floor(random() * chosen.length)]!]!(day);
      if (taken.has(source)) continue;
      taken.add(source);
      examples.push({
        source: sourceVocabulary.encode([...source]),
        targets: [targetVocabulary.encode([...isoDate(day)])],
      });
    }
    return examples;
  };
  const testSplit = draw(test, seed + 2);
  const validationSplit = draw(validation, seed + 1);
  return {
    kind: 'sequence-pairs',
    train: draw(train, seed),
    validation: validationSplit,
    test: testSplit,
    sourceVocabulary,
    targetVocabulary,
    sourceSeparator: '',
    targetSeparator: '',
    formats: chosen,
  };
}

export const dates: DatasetDefinition<DatesCorpus> = {
  name: 'dates',
  description:
    'Synthetic date normalization (tfjs-examples date-conversion-attention): a day 1950–2049 in one of 19 human formats → ISO 8601, characters',
  task: 'tasks/sequence-pairs',
  options: OPTIONS,
  load: async (options) => loadDates(options as DatesOptions),
};
