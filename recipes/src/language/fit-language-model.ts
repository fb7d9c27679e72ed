import * as tf from '@tensorflow/tfjs';
import type { Kit, ModelInstance } from '@nnkit/core';
import type { TextCorpus } from '@nnkit/datasets';
import type { LanguageModel } from '@nnkit/plugin-rnn-lm';
import { evaluateStream, toStreams, train } from '@nnkit/train';

export interface LanguageModelRun {
  readonly instance: ModelInstance<LanguageModel>;
  /** Validation cross-entropy (nats per token) before training and after each epoch. */
  readonly validationCurve: number[];
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
  readonly learningRate: number;
  readonly label: string;
  /** Use only the first this many training tokens. */
  readonly trainTokens?: number;
}

/**
 * Trains a language model with truncated BPTT, clipping at global norm 5, and Mikolov et al. (2010)'s schedule:
 * the learning rate halves after every epoch that improves the validation cross-entropy by less than 1%.
 * Measures validation and test cross-entropy with the state carried through each whole split.
 */
export async function fitLanguageModel(kit: Kit, options: FitOptions): Promise<LanguageModelRun> {
  const { corpus, streams, window } = options;
  const instance = await kit.createModel<LanguageModel>(options.key, { config: { vocabularySize: corpus.vocabulary.tokens.length, ...options.config } });
  const trainIds = options.trainTokens ? corpus.train.subarray(0, options.trainTokens) : corpus.train;
  const data = toStreams(trainIds, streams);
  const validation = toStreams(corpus.validation, 4);
  const test = toStreams(corpus.test, 4);
  try {
    const validationCurve = [await evaluateStream(instance.model, validation)];
    let rate = options.learningRate;
    const started = performance.now();
    await train({
      model: instance.model, data, bptt: { k1: window, k2: window }, epochs: options.epochs, clip: { norm: 5 },
      optimizer: { name: 'adam', learningRate: rate }, learningRate: () => rate,
      callbacks: [{
        async onEpochEnd(log) {
          const loss = await evaluateStream(instance.model, validation);
          if (loss > validationCurve.at(-1)! * 0.99) rate /= 2;
          validationCurve.push(loss);
          kit.progress.log(`${options.label} epoch ${log.epoch}: validation ${loss.toFixed(4)} nats/token, next learning rate ${rate.toExponential(1)}`);
        },
      }],
      seed: kit.random.derive(`rnn-lm/${options.label}`), progress: kit.progress, label: options.label,
    });
    const seconds = (performance.now() - started) / 1000;
    return {
      instance, validationCurve, seconds,
      validation: validationCurve.at(-1)!,
      test: await evaluateStream(instance.model, test),
      tokensPerSecond: (options.epochs * data.xs.size) / seconds,
    };
  } finally {
    tf.dispose([data.xs, data.ys, validation.xs, validation.ys, test.xs, test.ys]);
  }
}
