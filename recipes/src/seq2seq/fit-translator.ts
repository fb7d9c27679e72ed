import type { BatchSource, Kit, ModelInstance, SequenceExample, SequencePairCorpus, TaskDefinition } from '@nnkit/core';
import type { Translator } from '@nnkit/plugin-seq2seq-attention';
import { saveModel, scoreSequences, stepDecay, train, type GeneratedOutputs, type SequenceScores } from '@nnkit/train';
import { nnkitCommand } from '../report.js';
import { taskOf } from '../task-of.js';

/** The model every seq2seq recipe trains. */
const TRANSLATOR = 'seq2seq/translator';

/** The vocabularies a translator reads and writes and how their tokens join: a corpus's two (`SequencePairCorpus` has them). */
export type Vocabularies = Pick<SequencePairCorpus, 'sourceVocabulary' | 'targetVocabulary' | 'sourceSeparator' | 'targetSeparator'>;

/** The translator's task (sequence pairs), from the kit's registry: it batches the pairs and scores the outputs. */
function pairTask(kit: Kit): TaskDefinition<SequencePairCorpus, Translator> {
  return taskOf<SequencePairCorpus, Translator>(kit, TRANSLATOR);
}

/** Examples a recipe chose (a pair's test names, generated digit strings) as the corpus a task reads; absent splits are empty. */
function pairCorpus(
  vocabularies: Vocabularies,
  splits: Partial<Pick<SequencePairCorpus, 'train' | 'validation' | 'test'>>,
): SequencePairCorpus {
  const { sourceVocabulary, targetVocabulary, sourceSeparator, targetSeparator } = vocabularies;
  return {
    kind: 'sequence-pairs',
    sourceVocabulary,
    targetVocabulary,
    sourceSeparator,
    targetSeparator,
    train: splits.train ?? [],
    validation: splits.validation ?? [],
    test: splits.test ?? [],
  };
}

export interface FitOptions {
  readonly label: string;
  /** The translator's preset and config (vocabulary sizes included). */
  readonly preset?: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** The vocabularies of the examples (their `<s>` and `</s>` end the targets). */
  readonly vocabularies: Vocabularies;
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

/** Creates `seq2seq/translator` and trains it on the examples' pairs, batched by length by its task, with Adam and clipping at 5. */
export async function fitTranslator(kit: Kit, options: FitOptions): Promise<FittedTranslator> {
  const instance = await kit.createModel<Translator>(TRANSLATOR, {
    ...(options.preset !== undefined && { preset: options.preset }),
    config: options.config,
  });
  const corpus = pairCorpus(options.vocabularies, {
    train: options.train,
    ...(options.validation && { validation: options.validation }),
  });
  const batches = pairTask(kit).trainingData(corpus, { batchSize: options.batchSize, dataset: options.label });
  // Sequence pairs are batched by length: a BatchSource, whose units (target tokens) give the speed.
  const source = batches.train as BatchSource;
  const started = performance.now();
  const { history, steps } = await train({
    model: instance.model,
    data: batches.validation ? { train: source, validation: batches.validation } : source,
    ...(options.epochs !== undefined && { epochs: options.epochs }),
    ...(options.steps !== undefined && { steps: options.steps }),
    optimizer: { name: 'adam', learningRate: options.learningRate },
    // Epoch decayAfter + 1 (counted from 0) is the first at a lower rate.
    ...(options.decayAfter !== undefined && {
      callbacks: [
        stepDecay({
          after: options.decayAfter + 1,
          ...(options.decayFactor !== undefined && { factor: options.decayFactor }),
        }),
      ],
    }),
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

/** Exact match, sequence and token error rates and BLEU of the model's outputs on the examples (greedy, or a beam), as its task scores them. */
export async function scoreTranslator(
  kit: Kit,
  model: Translator,
  vocabularies: Vocabularies,
  examples: readonly SequenceExample[],
  beam = 1,
): Promise<TranslatorScores> {
  const outputs: GeneratedOutputs = { outputs: [], attention: [] };
  const scores = await pairTask(kit).evaluate(model, pairCorpus(vocabularies, { test: examples }), 'test', {
    kit,
    beam,
    outputs,
  });
  // The task names the sequence error rate as G2P reports it: the word error rate.
  return {
    exactMatch: scores.exact_match!,
    sequenceErrorRate: scores.word_error_rate!,
    tokenErrorRate: scores.token_error_rate!,
    bleu: scores.bleu!,
    ...outputs,
  };
}

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
    vocabularies: {
      source: vocabularies.sourceVocabulary.tokens,
      target: vocabularies.targetVocabulary.tokens,
      sourceSeparator: vocabularies.sourceSeparator,
      targetSeparator: vocabularies.targetSeparator,
    },
  });
  return {
    model,
    commands: [nnkitCommand('translate', dir, example, '--attention'), ...(dataset ? [nnkitCommand('eval', dir, '--split', 'test')] : [])],
  };
}

/**
 * The baseline that reads no input: the commonest training target, given for every test example (any of an
 * example's targets counts as right). A model not below its error rates has not learned to read its source.
 */
export function constantOutputBaseline(
  train: readonly SequenceExample[],
  test: readonly SequenceExample[],
): { output: readonly number[]; scores: SequenceScores } {
  const counts = new Map<string, { output: readonly number[]; count: number }>();
  for (const { targets } of train) {
    const key = targets[0]!.join(' ');
    counts.set(key, { output: targets[0]!, count: (counts.get(key)?.count ?? 0) + 1 });
  }
  const output = [...counts.values()].sort((a, b) => b.count - a.count)[0]?.output ?? [];
  return {
    output,
    scores: scoreSequences(
      test.map(() => output),
      test.map((e) => e.targets),
    ),
  };
}
