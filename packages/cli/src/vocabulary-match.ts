import { ConfigError } from '@nnkit/core';
import type { SavedModelMetadata } from '@nnkit/train';

/** One vocabulary a saved model holds and the one the data's ids index, under a name for messages ('source'). */
export interface VocabularyPair {
  readonly which: string;
  readonly saved: readonly string[] | undefined;
  readonly data: readonly string[];
}

/**
 * Refuses data whose token ids mean other symbols than they did for the model (a dates model given CMUdict's
 * letters): the metrics would be computed, and would mean nothing. Every id the data uses must name the same symbol
 * in the saved vocabulary. Checked before any work; a model saved without its vocabulary is let through.
 */
export function checkVocabularies(
  pairs: readonly VocabularyPair[],
  context: { dir: string; metadata: SavedModelMetadata; datasetKey: string },
): void {
  for (const { which, saved, data } of pairs) {
    if (saved === undefined) continue;
    const differs = data.findIndex((symbol, id) => saved[id] !== symbol);
    if (differs < 0) continue;
    const own = context.metadata.dataset?.key;
    throw new ConfigError(
      `eval expects a dataset whose ${which} vocabulary matches the model's (${saved.length} symbols, saved in ${context.dir}), ` +
        `got '${context.datasetKey}' with ${data.length} symbols: id ${differs} is ${JSON.stringify(data[differs])} in the data, ` +
        `${saved[differs] === undefined ? "beyond the end of the model's vocabulary" : `${JSON.stringify(saved[differs])} in the model`}. ` +
        `Evaluate it on ${own && own !== context.datasetKey ? `the dataset it was trained on (${own})` : 'the dataset options it was trained with'}, or on data built with its vocabulary.`,
      'dataset',
    );
  }
}
