import { definePlugin, type NnkitPlugin } from '@nnkit/core';
import { mnist } from './mnist/mnist.js';
import { mobyDick } from './text/moby-dick.js';
import { stateOfTheUnion } from './text/sotu.js';
import { cmudict } from './pairs/cmudict.js';
import { dates } from './pairs/dates.js';
import { cldrNames } from './pairs/cldr-names.js';
import { digitScenes } from './captions/digit-scenes.js';
import { digitLines } from './captions/digit-lines.js';
import { mobyDickPos } from './tagged/moby-dick-pos.js';
import { stateOfTheUnionPos } from './tagged/sotu-pos.js';
import { spokenDigits } from './audio/spoken-digits.js';

// The names this plugin registers, typed for `kit.loadDataset('datasets/mnist')` (core's registry-types.ts).
declare module '@nnkit/core' {
  interface NnkitDatasets {
    // MNIST always has its test split (the official 10,000 digits), so `test` is not optional here.
    'datasets/mnist': import('@nnkit/core').SupervisedData & { readonly test: import('@nnkit/core').Examples };
    'datasets/moby-dick': import('./text/text-corpus.js').TextCorpus;
    'datasets/sotu': import('./text/text-corpus.js').TextCorpus;
    'datasets/cmudict': import('./pairs/cmudict.js').CmudictCorpus;
    'datasets/dates': import('./pairs/dates.js').DatesCorpus;
    'datasets/cldr-names': import('./pairs/cldr-names.js').CldrNamesCorpus;
    'datasets/digit-scenes': import('./captions/digit-scenes.js').DigitScenesCorpus;
    'datasets/digit-lines': import('./captions/digit-lines.js').DigitLinesCorpus;
    'datasets/moby-dick-pos': import('./tagged/tagged-corpus.js').TaggedSentenceCorpus;
    'datasets/sotu-pos': import('./tagged/tagged-corpus.js').TaggedSentenceCorpus;
    'datasets/spoken-digits': import('./audio/spoken-digits.js').SpokenDigitsCorpus;
  }
}

/**
 * nnkit's datasets as a plugin: `datasets/mnist`, `datasets/moby-dick`, `datasets/sotu`, and the sequence pairs
 * `datasets/cmudict`, `datasets/dates`, `datasets/cldr-names`, and the image-captioning sets made of MNIST digits
 * `datasets/digit-scenes` (scenes described in words) and `datasets/digit-lines` (lines of handwritten digits), and
 * sentences with silver part-of-speech tags, `datasets/moby-dick-pos` and `datasets/sotu-pos`, and
 * `datasets/spoken-digits`: log-mel features of digit strings spoken by the GPL plugin @nnkit/spoken-digits, which
 * this MIT package reaches only by its registered name (`spoken-digits/utterances`), never by an import.
 */
export default function datasetsPlugin(): NnkitPlugin {
  return definePlugin({
    meta: { name: '@nnkit/datasets', version: '1.1.0', namespace: 'datasets', nnkit: '^2.0.0' },
    datasets: [
      mnist,
      mobyDick,
      stateOfTheUnion,
      cmudict,
      dates,
      cldrNames,
      digitScenes,
      digitLines,
      mobyDickPos,
      stateOfTheUnionPos,
      spokenDigits,
    ],
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
export {
  loadCmudict,
  readCmudict,
  parseCmudict,
  stripStress,
  cmudict,
  type CmudictOptions,
  type CmudictCorpus,
  type CmudictDictionary,
} from './pairs/cmudict.js';
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
export { loadDigitScenes, digitScenes, type DigitScenesOptions, type DigitScenesCorpus } from './captions/digit-scenes.js';
export { sceneCaption, SCENE_WORDS, DIGIT_WORDS } from './captions/scene-caption.js';
export {
  layoutScene,
  SCENE_SIZE,
  SIZE_RANGES,
  POSITIONS,
  THIRDS,
  PAIR_GAP,
  PAIR_ALIGNMENT,
  ROW_SPACING,
  ROW_EDGE_SPACING,
  type Scene,
  type SceneDigit,
  type SceneDigitSource,
  type DigitSize,
  type Position,
} from './captions/scene-layout.js';
export {
  loadDigitLines,
  digitLines,
  LINE_HEIGHT,
  LINE_WIDTH,
  DIGIT_SIDES,
  DIGIT_GAPS,
  type DigitLinesOptions,
  type DigitLinesCorpus,
  type DigitSpan,
} from './captions/digit-lines.js';
export { VALIDATION_DIGITS, type CaptionSplit, type MnistDigits } from './captions/digit-source.js';
export { inkBox, resampleBox, pasteMax, type Box } from './captions/resample.js';
export * from './tagged/index.js';
export * from './audio/index.js';
