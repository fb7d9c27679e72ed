import type { Examples, Kit, ModelInstance, OptimizerSpec, TokenCorpus } from '@nnkit/core';
import type { TextCorpus } from '@nnkit/datasets';
import type { LanguageModel } from '@nnkit/plugin-rnn-lm';
import { reduceOnPlateau, restoreBestWeights, train } from '@nnkit/train';
import { taskOf } from '../task-of.js';

/**
 * The parallel streams validation and test are read in: 4, not the task's 32, so that only 4 tokens of each split
 * are predicted without their preceding text (the numbers this recipe reports, measured so since it was written).
 */
const MEASURED_STREAMS = 4;

export interface LanguageModelRun {
  readonly instance: ModelInstance<LanguageModel>;
  /** Validation cross-entropy (nats per token) before training and after each epoch. */
  readonly validationCurve: number[];
  /** The epoch whose weights the model ends with: the best on validation (0: none improved on the untrained model). */
  readonly bestEpoch: number;
  readonly validation: number;
  readonly test: number;
  readonly seconds: number;
  readonly tokensPerSecond: number;
}

export interface FitOptions {
  readonly key: string;
  readonly config: Record<string, unknown>;
  readonly corpus: TextCorpus;
  readonly epochs: number;
  /** Parallel streams (the batch) and the BPTT window (k1 = k2). */
  readonly streams: number;
  readonly window: number;
  /** The optimizer and its starting rate, which the schedule below halves. */
  readonly optimizer: OptimizerSpec;
  /** Gradient clipping by global norm. */
  readonly clipNorm: number;
  readonly label: string;
}

/**
 * Trains a language model with truncated BPTT, clipping by global norm, and the schedule of Mikolov's RNNLM
 * toolkit: after an epoch that improves the validation cross-entropy by less than 1% the learning rate halves
 * (`reduceOnPlateau`), and after one that makes it worse the weights go back to the best epoch's first
 * (`restoreBestWeights`). Measures validation and test cross-entropy of the best weights, the state carried through
 * each whole split.
 */
export async function fitLanguageModel(kit: Kit, options: FitOptions): Promise<LanguageModelRun> {
  const { corpus, streams, window } = options;
  const instance = await kit.createModel<LanguageModel>(options.key, {
    config: { vocabularySize: corpus.vocabulary.tokens.length, ...options.config },
  });
  // The model's task (token streams), from the kit's registry: it cuts the text into streams and measures a split.
  const task = taskOf<TokenCorpus, LanguageModel>(kit, options.key);
  const bptt = { k1: window, k2: window };
  const batches = task.trainingData(corpus, {
    batchSize: streams,
    bptt,
    validationStreams: MEASURED_STREAMS,
    dataset: options.label,
  });
  const measure = async (split: 'validation' | 'test') =>
    (await task.evaluate(instance.model, corpus, split, { kit, streams: MEASURED_STREAMS })).loss!;
  try {
    // The untrained model's: the first value to beat, and its weights the first to go back to.
    const baseline = await measure('validation');
    const best = restoreBestWeights({ baseline, restoreOnWorse: true });
    const started = performance.now();
    // Validation streams, measured by train after each epoch as val_loss (as evaluate does, the state carried through).
    const { history } = await train({
      model: instance.model,
      data: batches.train as Examples,
      ...(batches.validation && { validation: batches.validation as Examples }),
      bptt,
      epochs: options.epochs,
      clip: { norm: options.clipNorm },
      optimizer: options.optimizer,
      callbacks: [reduceOnPlateau({ minImprovement: 0.01, baseline }), best],
      seed: kit.random.derive(`rnn-lm/${options.label}`),
      progress: kit.progress,
      label: options.label,
    });
    const seconds = (performance.now() - started) / 1000;
    return {
      instance,
      seconds,
      bestEpoch: best.bestEpoch,
      validationCurve: [baseline, ...history.map((log) => log.metrics.val_loss!)],
      validation: best.best,
      test: await measure('test'),
      tokensPerSecond: (options.epochs * (batches.train as Examples).xs.size) / seconds,
    };
  } finally {
    batches.dispose?.();
  }
}
