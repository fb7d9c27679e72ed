import type { SequenceExample, SymbolVocabulary } from '@nnkit/core';
import { heatmapFigure, writeFigure } from '@nnkit/viz';

/**
 * Attention maps of a few examples side by side: one row per output token, one column per source token, each
 * row the weights that output token gave the source (rows sum to 1).
 */
export async function writeAttentionMaps(
  path: string,
  title: string,
  examples: readonly { example: SequenceExample; output: readonly number[]; attention: readonly (readonly number[])[] }[],
  vocabularies: { source: SymbolVocabulary; target: SymbolVocabulary },
): Promise<string> {
  const shown = (token: string) => (token === ' ' ? '␣' : token);
  return writeFigure(
    path,
    heatmapFigure({
      title,
      subtitle: 'each row: where that output token looked in the source (the row sums to 1)',
      panels: examples.map(({ example, output, attention }) => ({
        title: vocabularies.source.decode([...example.source]).join(''),
        rows: vocabularies.target.decode([...output]).map(shown),
        columns: vocabularies.source.decode([...example.source]).map(shown),
        values: attention.flat(),
      })),
      x: { title: 'source token' },
      y: { title: 'output token' },
      color: { title: 'attention weight', domain: [0, 1] },
      text: false,
    }),
  );
}
