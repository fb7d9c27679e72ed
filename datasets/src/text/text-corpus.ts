import { ConfigError, field, type ConfigSchema } from '@nnkit/core';
import { readOptions } from '../pairs/options.js';
import { buildVocabulary, characterTokens, END_OF_TEXT, wordTokens, type Vocabulary } from './vocabulary.js';

/** A tokenized corpus with fixed splits, as ids into `vocabulary`. */
export interface TextCorpus {
  readonly level: 'word' | 'char';
  readonly vocabulary: Vocabulary;
  readonly train: Int32Array;
  readonly validation: Int32Array;
  readonly test: Int32Array;
}

export interface CorpusOptions {
  readonly level?: 'word' | 'char';
  /** Tokens seen fewer times in training become `<unk>` (default 3 for words, 1 for characters). */
  readonly minCount?: number;
  /** Keep only the first this many training tokens, for a quick run (the vocabulary still comes from all of them). */
  readonly trainTokens?: number;
}

export const CORPUS_OPTIONS: ConfigSchema = {
  level: field.oneOf(['word', 'char'], { default: 'word', description: 'word or character tokens' }),
  minCount: field.integer({
    min: 1,
    description: 'tokens seen fewer times in training become <unk> (default 3 for words, 1 for characters)',
  }),
  trainTokens: field.integer({ min: 2, description: 'keep only the first this many training tokens' }),
};

/** A text dataset's options, checked: an unknown key is refused with the closest known one (`owner`: `datasets/sotu`). */
export function readCorpusOptions(owner: string, options: unknown): CorpusOptions {
  return readOptions<CorpusOptions>(owner, CORPUS_OPTIONS, options);
}

/**
 * Tokenizes documents already split into train, validation and test. Words end each document with `<eos>`,
 * characters with a newline; the vocabulary comes from the training documents alone.
 */
export function textCorpus(
  splits: { train: readonly string[]; validation: readonly string[]; test: readonly string[] },
  { level = 'word', minCount = level === 'word' ? 3 : 1, trainTokens }: CorpusOptions,
): TextCorpus {
  if (level !== 'word' && level !== 'char')
    throw new ConfigError(`A text corpus expects level 'word' or 'char', got '${String(level)}'.`, 'level');
  if (trainTokens !== undefined && !(Number.isInteger(trainTokens) && trainTokens >= 2))
    throw new ConfigError(`trainTokens expects an integer ≥ 2, got ${String(trainTokens)}.`, 'trainTokens');
  const tokensOf = (documents: readonly string[]) =>
    documents.flatMap((text) => (level === 'word' ? [...wordTokens(text), END_OF_TEXT] : [...characterTokens(text), '\n']));
  const train = tokensOf(splits.train);
  const vocabulary = buildVocabulary(train, minCount);
  return {
    level,
    vocabulary,
    train: vocabulary.encode(trainTokens === undefined ? train : train.slice(0, trainTokens)),
    validation: vocabulary.encode(tokensOf(splits.validation)),
    test: vocabulary.encode(tokensOf(splits.test)),
  };
}
