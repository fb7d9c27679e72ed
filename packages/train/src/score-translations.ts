import type { SequenceExample } from '@nnkit/core';
import { scoreSequences, type SequenceScores } from './sequence-metrics.js';

/** What scoring needs of a sequence-to-sequence model: token ids in, token ids (and attention, where it has any) out. */
export interface Translates {
  translate(sources: number[][], options?: { beam?: number; maxLength?: number }): Promise<{ tokens: number[][]; attention?: number[][][] }>;
}

/**
 * Decodes every example's source (greedy, or beam search of width `beam`) in batches, each allowed twice its longest
 * target plus 10 tokens, and scores the outputs against each source's accepted targets (`scoreSequences`).
 */
export async function scoreTranslations(
  model: Translates,
  examples: readonly SequenceExample[],
  { beam = 1, batchSize = 256 } = {},
): Promise<SequenceScores & { outputs: number[][]; attention: number[][][] }> {
  const outputs: number[][] = [];
  const attention: number[][][] = [];
  for (let start = 0; start < examples.length; start += batchSize) {
    const batch = examples.slice(start, start + batchSize);
    const longest = Math.max(...batch.flatMap((e) => e.targets.map((t) => t.length)));
    const result = await model.translate(batch.map((e) => [...e.source]), { ...(beam > 1 && { beam }), maxLength: 2 * longest + 10 });
    outputs.push(...result.tokens);
    attention.push(...(result.attention ?? result.tokens.map(() => [])));
  }
  return { ...scoreSequences(outputs, examples.map((e) => e.targets)), outputs, attention };
}
