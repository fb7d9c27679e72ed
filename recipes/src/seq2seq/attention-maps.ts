import type { SequenceExample, SymbolVocabulary } from '@nnkit/core';
import { heatmapFigure, writeFigure } from '@nnkit/viz';
import type { Vocabularies } from './fit-translator.js';

/**
 * Attention maps of a few examples side by side: one row per output token, in the order they were written from the
 * top (the output reads down the left edge), one column per source token, each row the weights that output token
 * gave the source (rows sum to 1). Each panel is titled with its source and the output read from it.
 */
export async function writeAttentionMaps(
  path: string,
  title: string,
  examples: readonly {
    example: SequenceExample;
    output: readonly number[];
    attention: readonly (readonly number[])[];
  }[],
  vocabularies: Vocabularies,
): Promise<string> {
  const shown = (token: string) => (token === ' ' ? '␣' : token);
  const text = (ids: readonly number[], vocabulary: SymbolVocabulary, separator: string) => vocabulary.decode([...ids]).join(separator);
  return writeFigure(
    path,
    heatmapFigure({
      title,
      subtitle: 'each row: where that output token looked in the source (the row sums to 1); the output reads from the top down',
      panels: examples.map(({ example, output, attention }) => ({
        title: `${text(example.source, vocabularies.sourceVocabulary, vocabularies.sourceSeparator)} → ${text(output, vocabularies.targetVocabulary, vocabularies.targetSeparator)}`,
        rows: vocabularies.targetVocabulary.decode([...output]).map(shown),
        columns: vocabularies.sourceVocabulary.decode([...example.source]).map(shown),
        values: attention.flat(),
      })),
      x: { title: 'source token' },
      y: { title: 'output token' },
      color: { title: 'attention weight', domain: [0, 1] },
      text: false,
    }),
  );
}
