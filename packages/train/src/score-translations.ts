import type { Metric, SequenceExample } from '@nnkit/core';
import { generatedPass, type GeneratedOutputs } from './generated-pass.js';
import { sequenceMetrics, sequenceScores } from './generation-metrics.js';
import type { SequenceScores } from './sequence-metrics.js';

/** What scoring needs of a sequence-to-sequence model: token ids in, token ids (and attention, where it has any) out. */
export interface TranslationModel {
  translate(
    sources: number[][],
    options?: { beam?: number; maxLength?: number },
  ): Promise<{ tokens: number[][]; attention?: number[][][] }>;
}

/** @deprecated the name of 2.0's first builds: use TranslationModel. */
export type Translates = TranslationModel;

/** Sources to translate, each with every target that counts as right (`evaluate(translator, { examples })`). */
export interface TranslationSplit {
  readonly examples: readonly SequenceExample[];
}

export interface GenerationOptions {
  /** Beam search of this width (default 1: greedy). */
  readonly beam?: number;
  /** Sources or images decoded at once (default 256 sources, 128 images). */
  readonly batchSize?: number;
  /** Where the outputs (and attention) go, for callers that show them. */
  readonly outputs?: GeneratedOutputs;
}

/**
 * Decodes every example's source (greedy, or beam search of width `beam`) in batches, each allowed twice its longest
 * target plus 10 tokens, and adds the outputs with each source's accepted targets to `metrics`.
 */
export function evaluateTranslations(
  model: TranslationModel,
  { examples }: TranslationSplit,
  metrics: readonly Metric[],
  { beam = 1, batchSize = 256, outputs }: GenerationOptions = {},
): Promise<Record<string, number>> {
  return generatedPass(
    model,
    Math.ceil(examples.length / batchSize),
    async (index) => {
      const batch = examples.slice(index * batchSize, (index + 1) * batchSize);
      const longest = Math.max(...batch.flatMap((e) => e.targets.map((t) => t.length)));
      const result = await model.translate(
        batch.map((e) => [...e.source]),
        { ...(beam > 1 && { beam }), maxLength: 2 * longest + 10 },
      );
      return { result, references: batch.map((e) => e.targets) };
    },
    metrics,
    outputs,
  );
}

/** @deprecated `evaluate(model, { examples }, { beam, outputs })`: the same scores by their metric names. */
export async function scoreTranslations(
  model: TranslationModel,
  examples: readonly SequenceExample[],
  options: { beam?: number; batchSize?: number } = {},
): Promise<SequenceScores & GeneratedOutputs> {
  const outputs: GeneratedOutputs = { outputs: [], attention: [] };
  const values = await evaluateTranslations(model, { examples }, sequenceMetrics(), { ...options, outputs });
  return { ...sequenceScores(values, examples.length), ...outputs };
}
