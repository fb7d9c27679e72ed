import type { BatchSource, Kit, ModelInstance } from '@nnkit/core';
import type { Listener } from '@nnkit/plugin-seq2seq-attention';
import type { TranscribedSpeechCorpus } from '@nnkit/plugin-tasks';
import { stepDecay, train } from '@nnkit/train';
import { taskOf } from '../task-of.js';

/** The model the speech recipe trains, with attention and without. */
export const LISTENER = 'seq2seq/listener';

export interface FitListenerOptions {
  readonly label: string;
  /** `las` (attention) or `bottleneck` (none). */
  readonly preset: string;
  /** Sizes on top of the preset; the corpus's featureSize and vocabulary size are filled in by the task. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Halve the learning rate each epoch after this one (0-based). */
  readonly decayAfter?: number;
  readonly seed: number;
}

export interface FittedListener {
  readonly instance: ModelInstance<Listener>;
  readonly seconds: number;
  readonly history: readonly { epoch: number; metrics: Readonly<Record<string, number>> }[];
  readonly parameters: number;
  /** Training steps run, and utterances per second over them. */
  readonly steps: number;
  readonly utterancesPerSecond: number;
}

/** Creates `seq2seq/listener` for the corpus and trains it on batches its task makes, with Adam and clipping at 5. */
export async function fitListener(kit: Kit, corpus: TranscribedSpeechCorpus, options: FitListenerOptions): Promise<FittedListener> {
  const task = taskOf<TranscribedSpeechCorpus, Listener>(kit, LISTENER);
  const schema = kit.registry.models.get(LISTENER).config ?? {};
  const instance = await kit.createModel<Listener>(LISTENER, {
    preset: options.preset,
    config: { ...task.configFrom(corpus, schema), ...options.config },
  });
  const batches = task.trainingData(corpus, { batchSize: options.batchSize, dataset: options.label });
  const source = batches.train as BatchSource;
  const started = performance.now();
  const { history, steps } = await train({
    model: instance.model,
    data: batches.validation ? { train: source, validation: batches.validation } : source,
    epochs: options.epochs,
    optimizer: { name: 'adam', learningRate: options.learningRate },
    ...(options.decayAfter !== undefined && { callbacks: [stepDecay({ after: options.decayAfter + 1 })] }),
    clip: { norm: 5 },
    seed: options.seed,
    progress: kit.progress,
    label: options.label,
  });
  const seconds = (performance.now() - started) / 1000;
  const parameters = Object.values(instance.model.weights).reduce((n, w) => n + w.size, 0);
  const utterancesPerSecond = (steps * (corpus.train.length / source.batchesPerEpoch)) / seconds;
  return { instance, seconds, history, parameters, steps, utterancesPerSecond };
}
