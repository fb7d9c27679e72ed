import * as tf from '@tensorflow/tfjs';
import type { Kit, ModelInstance, OptimizerSpec } from '@nnkit/core';
import type { TextCorpus } from '@nnkit/datasets';
import type { LanguageModel } from '@nnkit/plugin-rnn-lm';
import { evaluate, reduceOnPlateau, restoreBestWeights, toStreams, train } from '@nnkit/train';

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
  const instance = await kit.createModel<LanguageModel>(options.key, { config: { vocabularySize: corpus.vocabulary.tokens.length, ...options.config } });
  const data = toStreams(corpus.train, streams);
  const validation = toStreams(corpus.validation, 4);
  const test = toStreams(corpus.test, 4);
  try {
    // The untrained model's: the first value to beat, and its weights the first to go back to.
    const baseline = (await evaluate(instance.model, { streams: validation })).loss!;
    const best = restoreBestWeights({ baseline, restoreOnWorse: true });
    const started = performance.now();
    // Validation streams, measured by train after each epoch as val_loss (as evaluate does, the state carried through).
    const { history } = await train({
      model: instance.model, data, validation, bptt: { k1: window, k2: window }, epochs: options.epochs, clip: { norm: options.clipNorm },
      optimizer: options.optimizer,
      callbacks: [reduceOnPlateau({ minImprovement: 0.01, baseline }), best],
      seed: kit.random.derive(`rnn-lm/${options.label}`), progress: kit.progress, label: options.label,
    });
    const seconds = (performance.now() - started) / 1000;
    return {
      instance, seconds, bestEpoch: best.bestEpoch,
      validationCurve: [baseline, ...history.map((log) => log.metrics.val_loss!)],
      validation: best.best,
      test: (await evaluate(instance.model, { streams: test })).loss!,
      tokensPerSecond: (options.epochs * data.xs.size) / seconds,
    };
  } finally {
    tf.dispose([data.xs, data.ys, validation.xs, validation.ys, test.xs, test.ys]);
  }
}
