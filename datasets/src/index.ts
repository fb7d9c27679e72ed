import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { mnist } from './mnist/mnist.js';
import { mobyDick } from './text/moby-dick.js';
import { stateOfTheUnion } from './text/sotu.js';
import { cmudict } from './pairs/cmudict.js';
import { dates } from './pairs/dates.js';
import { cldrNames } from './pairs/cldr-names.js';

/**
 * nnkit's datasets as a plugin: `datasets/mnist`, `datasets/moby-dick`, `datasets/sotu`, and the sequence pairs
 * `datasets/cmudict`, `datasets/dates`, `datasets/cldr-names`.
 */
export default function datasetsPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/datasets', version: '1.1.0', namespace: 'datasets', nnkit: '^2.0.0' },
    datasets: [mnist, mobyDick, stateOfTheUnion, cmudict, dates, cldrNames],
  });
}

export { readIdx, type IdxArray } from './mnist/idx.js';
export { loadMnist, readMnistSplit, mnistExamples, mnistDir, MNIST_FILES, type MnistOptions, type MnistImages } from './mnist/mnist.js';
export { toMnistDigit } from './mnist/digit-image.js';
export { loadMobyDick, readMobyDick, mobyDick, type Chapter } from './text/moby-dick.js';
export { loadStateOfTheUnion, readStateOfTheUnion, stateOfTheUnion, SOTU_SPLITS, type Address } from './text/sotu.js';
export { textCorpus, type TextCorpus, type CorpusOptions } from './text/text-corpus.js';
export { buildVocabulary, wordTokens, characterTokens, joinTokens, UNKNOWN, END_OF_TEXT, type Vocabulary } from './text/vocabulary.js';
export { symbolVocabulary, SPECIAL_SYMBOLS, PAD, START, END, UNKNOWN_SYMBOL } from './pairs/symbol-vocabulary.js';
export { loadCmudict, readCmudict, parseCmudict, stripStress, cmudict, type CmudictOptions, type CmudictCorpus, type CmudictDictionary } from './pairs/cmudict.js';
export { loadDates, dates, type DatesOptions, type DatesCorpus } from './pairs/dates.js';
export { DATE_FORMATS, DATE_FORMAT_NAMES, isoDate, calendarDay, type CalendarDay } from './pairs/date-formats.js';
export {
  loadCldrNames,
  readCldrNames,
  parseCldrNames,
  cldrNames,
  cldrDir,
  directionKey,
  targetToken,
  type CldrNamesOptions,
  type CldrNamesCorpus,
  type CldrKind,
  type LocalePair,
} from './pairs/cldr-names.js';
