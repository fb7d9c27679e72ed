import type { Kit, ModelInstance, SequenceExample, SequencePairCorpus } from '@nnkit/core';
import type { Translator } from '@nnkit/plugin-seq2seq-attention';
import { evaluate, pairsOf, saveModel, scoreSequences, sequencePairBatches, stepDecay, train, type GeneratedOutputs, type SequenceScores } from '@nnkit/train';
import { nnkitCommand } from '../report.js';

/** ids of `<s>` and `</s>` in every SymbolVocabulary. */
const ENDS = { startId: 1, endId: 2 };

export interface FitOptions {
  readonly label: string;
  /** The translator's preset and config (vocabulary sizes included). */
  readonly preset?: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly train: readonly SequenceExample[];
  readonly validation?: readonly SequenceExample[];
  readonly epochs?: number;
  readonly steps?: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Lower the learning rate each epoch after this one (0-based), as Luong et al. do late in training. */
  readonly decayAfter?: number;
  /** What the learning rate is multiplied by each epoch after `decayAfter`; 0.5 unless told. */
  readonly decayFactor?: number;
  readonly seed: number;
}

export interface FittedTranslator {
  readonly instance: ModelInstance<Translator>;
  readonly seconds: number;
  readonly history: readonly { epoch: number; metrics: Readonly<Record<string, number>> }[];
  readonly parameters: number;
  /** Target tokens per second while training. */
  readonly tokensPerSecond: number;
}

/** Creates `seq2seq/translator` and trains it on the examples' pairs, batched by length, with Adam and clipping at 5. */
export async function fitTranslator(kit: Kit, options: FitOptions): Promise<FittedTranslator> {
  const instance = await kit.createModel<Translator>('seq2seq/translator', { ...(options.preset !== undefined && { preset: options.preset }), config: options.config });
  const source = sequencePairBatches(pairsOf(options.train), { batchSize: options.batchSize, ...ENDS });
  const validation = options.validation ? sequencePairBatches(pairsOf(options.validation), { batchSize: 256, shuffle: false, ...ENDS }) : undefined;
  const started = performance.now();
  const { history, steps } = await train({
    model: instance.model,
    data: validation ? { train: source, validation } : source,
    ...(options.epochs !== undefined && { epochs: options.epochs }),
    ...(options.steps !== undefined && { steps: options.steps }),
    optimizer: { name: 'adam', learningRate: options.learningRate },
    // Epoch decayAfter + 1 (counted from 0) is the first at a lower rate.
    ...(options.decayAfter !== undefined && { callbacks: [stepDecay({ after: options.decayAfter + 1, ...(options.decayFactor !== undefined && { factor: options.decayFactor }) })] }),
    clip: { norm: 5 },
    seed: options.seed,
    progress: kit.progress,
    label: options.label,
  });
  const seconds = (performance.now() - started) / 1000;
  const parameters = Object.values(instance.model.weights).reduce((n, w) => n + w.size, 0);
  const tokensPerSecond = (steps * (source.unitsPerEpoch / source.batchesPerEpoch)) / seconds;
  return { instance, seconds, history, parameters, tokensPerSecond };
}

/** What the recipes report of a translator's outputs on a split, with the outputs and their attention. */
export interface TranslatorScores extends GeneratedOutputs {
  readonly exactMatch: number;
  /** Outputs with any error: for G2P, whose outputs are words' pronunciations, the literature's word error rate. */
  readonly sequenceErrorRate: number;
  /** Edit distance over tokens (phones, characters) / reference tokens. */
  readonly tokenErrorRate: number;
  readonly bleu: number;
}

/** Exact match, sequence and token error rates and BLEU of the model's outputs on the examples (greedy, or a beam). */
export async function scoreTranslator(model: Translator, examples: readonly SequenceExample[], beam = 1): Promise<TranslatorScores> {
  const outputs: GeneratedOutputs = { outputs: [], attention: [] };
  const scores = await evaluate(model, { examples }, { beam, outputs });
  return { exactMatch: scores.exact_match!, sequenceErrorRate: scores.sequence_error_rate!, tokenErrorRate: scores.token_error_rate!, bleu: scores.bleu!, ...outputs };
}

/** The vocabularies a translator is saved with: a corpus's two (`SequencePairCorpus` has them). */
type Vocabularies = Pick<SequencePairCorpus, 'sourceVocabulary' | 'targetVocabulary' | 'sourceSeparator' | 'targetSeparator'>;

/**
 * Saves a trained translator with both vocabularies and, where it came from a registered dataset, that dataset
 * (what `nnkit translate` and `nnkit eval` need); returns the commands that try it on `example`:
 * `nnkit translate nnkit-out/dates/model "23 Jan 2017" --attention`.
 */
export async function saveTranslator(
  dir: string,
  instance: ModelInstance<Translator>,
  vocabularies: Vocabularies,
  example: string,
  dataset?: { readonly key: string; readonly options?: Readonly<Record<string, unknown>> },
): Promise<{ model: string; commands: string[] }> {
  const model = await saveModel(dir, instance, {
    ...(dataset && { dataset }),
    vocabularies: { source: vocabularies.sourceVocabulary.tokens, target: vocabularies.targetVocabulary.tokens, sourceSeparator: vocabularies.sourceSeparator, targetSeparator: vocabularies.targetSeparator },
  });
  return { model, commands: [nnkitCommand('translate', dir, example, '--attention'), ...(dataset ? [nnkitCommand('eval', dir, '--split', 'test')] : [])] };
}

/**
 * The baseline that reads no input: the commonest training target, given for every test example (any of an
 * example's targets counts as right). A model not below its error rates has not learned to read its source.
 */
export function constantOutputBaseline(train: readonly SequenceExample[], test: readonly SequenceExample[]): { output: readonly number[]; scores: SequenceScores } {
  const counts = new Map<string, { output: readonly number[]; count: number }>();
  for (const { targets } of train) {
    const key = targets[0]!.join(' ');
    counts.set(key, { output: targets[0]!, count: (counts.get(key)?.count ?? 0) + 1 });
  }
  const output = [...counts.values()].sort((a, b) => b.count - a.count)[0]?.output ?? [];
  return { output, scores: scoreSequences(test.map(() => output), test.map((e) => e.targets)) };
}
